import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CookieJar, MemoryStorage, fakeWidgetApi, recordingConsole } from '../test-support/fake-widget-api.js';
import { LumioEngine, type LumioEvents } from './lumio-engine.js';

function setup() {
  const api = fakeWidgetApi();
  const out = recordingConsole();
  const storage = new MemoryStorage();
  const engine = new LumioEngine(
    { widgetId: 'wgt_1', apiBase: 'https://lumio.test' },
    { fetch: api.fetch, console: out.console, storage: { localStorage: () => storage, document: new CookieJar() } },
  );
  const events: Array<[keyof LumioEvents, unknown]> = [];
  for (const name of ['stateChange', 'error', 'reset', 'ready'] as const) engine.on(name, (payload) => events.push([name, payload]));
  return { api, out, storage, engine, events };
}

describe('LumioEngine', () => {
  it('starts an anonymous session for its anonymous id, then verifies on identify with a signature', async () => {
    const { api, engine, events } = setup();
    const outcome = await engine.identify({ userId: 'u1', signature: 'ab'.repeat(32), name: 'Ada', properties: { plan: 'pro' } });
    expect(outcome).toEqual({ ok: true, state: 'verified', userId: 'u1' });
    expect(engine.state).toBe('verified');
    expect(api.calls.map((c) => c.path)).toEqual(['session', 'identify']);
    expect(api.calls[0]!.body).toEqual({ anonymousId: engine.anonymousId });
    expect(api.calls[1]).toMatchObject({
      token: `tok-anon-1-${engine.anonymousId}`,
      body: { userId: 'u1', name: 'Ada', properties: { plan: 'pro' } },
    });
    expect(events).toEqual([
      ['ready', { anonymousId: engine.anonymousId, state: 'anonymous' }],
      ['stateChange', { state: 'verified', previous: 'anonymous', userId: 'u1' }],
    ]);
  });

  it('turns numeric ids into strings and refuses bad ones without a request', async () => {
    const { api, engine, out, events } = setup();
    expect(await engine.identify({ userId: 42 })).toMatchObject({ ok: true, userId: '42', state: 'identified' });
    for (const userId of ['', 1.5, 'x'.repeat(256), null as unknown as string]) {
      expect(await engine.identify({ userId })).toMatchObject({ ok: false, code: 'invalid_user_id' });
    }
    expect(api.calls.filter((c) => c.path === 'identify')).toHaveLength(1);
    expect(out.lines.filter((l) => l.startsWith('Lumio: invalid_user_id:'))).toHaveLength(4);
    expect(events.filter(([name]) => name === 'error')).toHaveLength(4);
  });

  it('stays anonymous on a refused identify, emits error with the code and prints one hint', async () => {
    const { api, engine, out, events } = setup();
    api.refuse('identify', 'invalid_signature');
    const outcome = await engine.identify({ userId: 'u1', signature: 'bad' });
    expect(outcome).toEqual({ ok: false, code: 'invalid_signature', message: 'refused: invalid_signature' });
    expect(engine.state).toBe('anonymous');
    expect(engine.userId).toBeNull();
    expect(events.filter(([name]) => name === 'error')).toEqual([
      ['error', { code: 'invalid_signature', message: 'refused: invalid_signature', call: 'identify' }],
    ]);
    expect(out.lines).toEqual([expect.stringMatching(/^Lumio: invalid_signature: sign the userId on your server/)]);
  });

  it('stays verified when the server refuses only the profile: one error event and console line name each field', async () => {
    const { api, engine, out, events } = setup();
    await engine.identify({ userId: 'u1', signature: 'ok' });
    api.answer('identify', (call) => ({
      status: 200,
      json: {
        token: 'tok-user-u1-again',
        state: 'verified',
        userId: call.body?.userId,
        anonymousId: 'x',
        linked: true,
        expiresAt: Date.now() + 900_000,
        profile: {
          accepted: false,
          errors: [{ field: 'properties.address', code: 'invalid_property', message: 'Property "address" is an object.' }],
        },
      },
    }));
    const outcome = await engine.identify({ userId: 'u1', signature: 'ok', properties: { address: { city: 'Paris' } } as never });
    expect(outcome).toMatchObject({ ok: true, state: 'verified', userId: 'u1', profileErrors: [{ field: 'properties.address' }] });
    expect(engine.state).toBe('verified');
    expect(engine.userId).toBe('u1');
    expect(events.filter(([name]) => name === 'reset' || name === 'stateChange').map(([name]) => name)).toEqual(['stateChange']);
    expect(events.filter(([name]) => name === 'error')).toEqual([
      ['error', { code: 'invalid_profile', message: expect.stringContaining('properties.address'), call: 'identify' }],
    ]);
    expect(out.lines).toEqual([expect.stringMatching(/^Lumio: invalid_profile: properties\.address: /)]);
    // Private data is read with the verified session the answer carried.
    await engine.profile();
    expect(api.calls.at(-1)).toMatchObject({ path: 'me', token: 'tok-user-u1-again' });
  });

  it('drops back to anonymous when a later identify of the same user is refused', async () => {
    const { api, engine } = setup();
    await engine.identify({ userId: 'u1', signature: 'ok' });
    api.refuse('identify', 'signature_required');
    await engine.identify({ userId: 'u1' });
    expect(engine.state).toBe('anonymous');
    // The fresh session was started without the verified token.
    expect(api.calls.at(-1)).toMatchObject({ path: 'session', token: null });
  });

  it('serves a call made right after identify only once identify has finished', async () => {
    const { api, engine } = setup();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    api.answer('identify', async (call) => {
      await gate;
      return { status: 200, json: { token: 'tok-u1', state: 'verified', userId: call.body?.userId, expiresAt: Date.now() + 900_000 } };
    });
    const identified = engine.identify({ userId: 'u1', signature: 'ok' });
    const profile = engine.profile();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(api.calls.map((c) => c.path)).toEqual(['session', 'identify']);
    release();
    await identified;
    expect(await profile).toEqual({ name: 'Ada' });
    expect(api.calls.map((c) => c.path)).toEqual(['session', 'identify', 'me']);
    expect(api.calls.at(-1)!.token).toBe('tok-u1');
  });

  it('resetSession clears the identity, starts a new anonymous id and tells the widget to reload', async () => {
    const { api, engine, storage, events } = setup();
    await engine.identify({ userId: 'u1', signature: 'ok' });
    engine.cache.set('articles', ['saved']);
    const before = engine.anonymousId;
    await engine.resetSession();
    expect(engine.state).toBe('anonymous');
    expect(engine.userId).toBeNull();
    expect(engine.cache.size).toBe(0);
    expect(engine.anonymousId).not.toBe(before);
    expect(storage.getItem('lumio_anon_wgt_1')).toBe(engine.anonymousId);
    expect(api.calls.at(-1)).toMatchObject({ path: 'session', token: null, body: { anonymousId: engine.anonymousId } });
    expect(events.at(-1)).toEqual(['reset', { anonymousId: engine.anonymousId }]);
  });

  it('resets first when another user identifies on the same browser', async () => {
    const { api, engine } = setup();
    await engine.identify({ userId: 'u1', signature: 'ok' });
    const first = engine.anonymousId;
    await engine.identify({ userId: 'u2', signature: 'ok' });
    expect(engine.userId).toBe('u2');
    expect(engine.anonymousId).not.toBe(first);
    const second = api.calls.filter((c) => c.path === 'identify')[1]!;
    expect(second.token).toBe(`tok-anon-2-${engine.anonymousId}`);
  });

  it('reports an unreachable server as network_error, and a throwing listener does not break it', async () => {
    const out = recordingConsole();
    const engine = new LumioEngine(
      { widgetId: 'wgt_1', apiBase: 'http://127.0.0.1:9' },
      {
        fetch: (async () => {
          throw new TypeError('Failed to fetch');
        }) as typeof fetch,
        console: out.console,
        storage: {},
      },
    );
    engine.on('error', () => {
      throw new Error('listener bug');
    });
    expect(await engine.identify({ userId: 'u1' })).toMatchObject({ ok: false, code: 'network_error' });
    expect(engine.state).toBe('anonymous');
    expect(out.lines.some((l) => l.includes('an event listener threw'))).toBe(true);
  });
});

describe('LumioEngine session renewal', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.UTC(2026, 10, 22, 9, 0, 0) }));
  afterEach(() => vi.useRealTimers());

  /** A server whose session call with a token renews it keeping the identity, as Lumio's does. */
  function renewingServer(lifetimeMs: number) {
    const env = setup();
    let renewals = 0;
    env.api.answer('session', (call) => ({
      status: 200,
      json: call.token
        ? { token: `tok-renewed-${++renewals}`, state: 'verified', userId: 'u1', expiresAt: Date.now() + lifetimeMs }
        : { token: 'tok-anon', state: 'anonymous', userId: null, expiresAt: Date.now() + lifetimeMs },
    }));
    env.api.answer('identify', () => ({
      status: 200,
      json: { token: 'tok-user', state: 'verified', userId: 'u1', linked: true, expiresAt: Date.now() + lifetimeMs },
    }));
    return env;
  }
  const sessionCalls = (api: ReturnType<typeof setup>['api']) => api.calls.filter((c) => c.path === 'session');

  it('renews a minute before the token expires, with the current token, and keeps the identity', async () => {
    const { api, engine, events } = renewingServer(15 * 60_000);
    await engine.identify({ userId: 'u1', signature: 'ab'.repeat(32) });
    expect(sessionCalls(api)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(14 * 60_000 - 1);
    expect(sessionCalls(api)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sessionCalls(api).map((c) => c.token)).toEqual([null, 'tok-user']);
    expect(engine.state).toBe('verified');
    // …and again from the renewed token's own expiry, for as long as the page stays open.
    await vi.advanceTimersByTimeAsync(14 * 60_000);
    expect(sessionCalls(api).map((c) => c.token)).toEqual([null, 'tok-user', 'tok-renewed-1']);
    expect(events.filter(([name]) => name === 'stateChange')).toHaveLength(1);
  });

  it('waits at least five seconds between renewals, however short the lifetime', async () => {
    const { api, engine } = renewingServer(30_000);
    await engine.identify({ userId: 'u1', signature: 'ab'.repeat(32) });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(sessionCalls(api)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sessionCalls(api)).toHaveLength(2);
  });

  it('keeps the current token when a renewal fails, and recovers with a new session when that token is refused', async () => {
    const { api, engine } = renewingServer(15 * 60_000);
    await engine.identify({ userId: 'u1', signature: 'ab'.repeat(32) });
    api.answer('session', () => ({ status: 503, json: { error: { code: 'unavailable', message: 'down' } } }));
    await vi.advanceTimersByTimeAsync(14 * 60_000);
    expect(engine.state).toBe('verified');
    api.answer('me', (call) =>
      call.token === 'tok-user'
        ? { status: 401, json: { error: { code: 'invalid_session', message: 'expired' } } }
        : { status: 200, json: { state: 'anonymous', profile: null } },
    );
    api.answer('session', () => ({
      status: 200,
      json: { token: 'tok-fresh', state: 'anonymous', userId: null, expiresAt: Date.now() + 900_000 },
    }));
    expect(await engine.profile()).toBeNull();
    expect(api.calls.filter((c) => c.path === 'me').map((c) => c.token)).toEqual(['tok-user', 'tok-fresh']);
    expect(engine.state).toBe('anonymous');
  });

  it('stops renewing after shutdown', async () => {
    const { api, engine } = renewingServer(15 * 60_000);
    await engine.identify({ userId: 'u1', signature: 'ab'.repeat(32) });
    engine.shutdown();
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(sessionCalls(api)).toHaveLength(1);
  });
});
