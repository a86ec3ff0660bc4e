import { afterEach, describe, expect, it } from 'vitest';
import { CookieJar, MemoryStorage, fakeWidgetApi, recordingConsole, forgetPageEngines } from '../test-support/fake-widget-api.js';
import { createCommandQueue, replayQueued } from './command-queue.js';
import { createLumio } from './create-lumio.js';

// Each test is a page of its own: no engine carries over from the previous one.
afterEach(forgetPageEngines);

const env = (api: ReturnType<typeof fakeWidgetApi>, out = recordingConsole()) => ({
  fetch: api.fetch,
  console: out.console,
  storage: { localStorage: () => new MemoryStorage(), document: new CookieJar() },
});

describe('command queue', () => {
  it('replays calls queued before the script loaded, in order, with init first', async () => {
    const api = fakeWidgetApi();
    const seen: string[] = [];
    const stub: unknown[][] = [
      ['identify', { userId: 'u1', signature: 'ok', name: 'Ada' }],
      ['on', 'stateChange', (e: { state: string }) => seen.push(e.state)],
      ['init', { widgetId: 'wgt_1', apiBase: 'https://lumio.test' }],
    ];
    const queue = createCommandQueue({}, env(api));
    replayQueued(stub, queue.dispatch);
    await queue.engine!.settled();
    expect(queue.engine!.state).toBe('verified');
    expect(api.calls.map((c) => c.path)).toEqual(['session', 'identify']);
    expect(api.calls[1]!.body).toMatchObject({ userId: 'u1', signature: 'ok', name: 'Ada' });
    // The listener was registered after identify was queued, before it ran.
    expect(seen).toEqual(['verified']);
  });

  it('hands the engine to onInit once, before the queued commands run, so its listeners hear them', async () => {
    const api = fakeWidgetApi();
    const heard: string[] = [];
    const engines: unknown[] = [];
    const queue = createCommandQueue({}, env(api), {
      onInit(engine) {
        engines.push(engine);
        heard.push(`init ${engine.widgetId} ${engine.persistence}`);
        engine.on('ready', () => heard.push('ready'));
        engine.on('stateChange', (e) => heard.push(e.state));
      },
    });
    queue.dispatch('identify', { userId: 'u1', signature: 'ok' });
    queue.dispatch('init', { widgetId: 'wgt_1', apiBase: 'https://lumio.test', persistence: 'memory' });
    queue.dispatch('init', { widgetId: 'wgt_1', apiBase: 'https://lumio.test' });
    await queue.engine!.settled();
    expect(engines).toEqual([queue.engine]);
    expect(heard).toEqual(['init wgt_1 memory', 'ready', 'verified']);
    queue.dispatch('setPersistence', 'local');
    expect(queue.engine!.persistence).toBe('local');
  });

  it('still replays the queued commands when onInit throws, and says so on the console', async () => {
    const api = fakeWidgetApi();
    const out = recordingConsole();
    const queue = createCommandQueue({}, env(api, out), {
      onInit() {
        throw new Error('ui broke');
      },
    });
    queue.dispatch('identify', { userId: 'u1', signature: 'ok' });
    queue.dispatch('init', { widgetId: 'wgt_1', apiBase: 'https://lumio.test' });
    await queue.engine!.settled();
    expect(queue.engine!.state).toBe('verified');
    expect(out.lines).toContainEqual(expect.stringMatching(/^Lumio: the init hook failed/));
  });

  it('warns about unknown commands and a second init, and never throws', () => {
    const out = recordingConsole();
    const queue = createCommandQueue({}, env(fakeWidgetApi(), out));
    queue.dispatch('init', {});
    queue.dispatch('init', { widgetId: 'wgt_1', apiBase: 'https://lumio.test' });
    queue.dispatch('init', { widgetId: 'wgt_2' });
    queue.dispatch('frobnicate');
    queue.dispatch('setPersistence', 'cloud');
    expect(out.lines).toEqual([
      "Lumio: init needs { widgetId: 'wgt_…' }",
      'Lumio: init was called twice; the second call is ignored',
      'Lumio: unknown command "frobnicate"',
      "Lumio: setPersistence takes 'local' or 'memory'",
    ]);
  });
});

describe('track', () => {
  it('queues LumioWidget("track") calls made before init and sends them after identify, with its session', async () => {
    const api = fakeWidgetApi();
    const queue = createCommandQueue({}, env(api));
    replayQueued(
      [
        ['track', 'signup_started', { plan: 'pro' }],
        ['init', { widgetId: 'wgt_1', apiBase: 'https://lumio.test' }],
        ['identify', { userId: 'u1', signature: 'ok' }],
      ],
      queue.dispatch,
    );
    await queue.engine!.settled();
    await queue.engine!.flushEvents();
    const [post] = api.calls.filter((c) => c.path === 'events');
    expect(post!.token).toBe('tok-user-u1');
    expect((post!.body!.events as Array<{ name: string }>).map((e) => e.name)).toEqual(['signup_started', '$identify']);
  });

  it('refuses a $ name and nested props from both APIs with one console line each, never throwing', () => {
    const out = recordingConsole();
    const lumio = createLumio({ widgetId: 'wgt_1', apiBase: 'https://lumio.test' }, env(fakeWidgetApi(), out));
    const errors: string[] = [];
    lumio.on('error', (e) => errors.push(`${e.call}:${e.code}`));
    expect(lumio.track('$article_viewed', { articleId: 'a' })).toBe(false);
    expect(lumio.track('ok', { user: { id: 1 } } as never)).toBe(false);
    const queue = createCommandQueue({}, env(fakeWidgetApi(), out));
    queue.dispatch('init', { widgetId: 'wgt_1', apiBase: 'https://lumio.test' });
    expect(queue.dispatch('track', '$identify')).toBe(false);
    expect(queue.dispatch('track', 'ok', { plan: 'pro' })).toBe(true);
    expect(out.lines).toHaveLength(3);
    expect(out.lines.every((l) => l.startsWith('Lumio: invalid_event: track: '))).toBe(true);
    // One engine per page: the queue's refusal reaches the object client's listener too.
    expect(errors).toEqual(['track:invalid_event', 'track:invalid_event', 'track:invalid_event']);
  });
});

describe('object client', () => {
  it('identifies with hmac and profile, with a plain hmac string, and without one', async () => {
    const api = fakeWidgetApi();
    const lumio = createLumio({ widgetId: 'wgt_1', apiBase: 'https://lumio.test' }, env(api));
    const outcome = await lumio.user.identify('u1', {
      hmac: 'ok',
      profile: { email: 'a@example.com', gender: lumio.user.genders.Female, birthday: '1990-04-01', traits: { plan: 'pro' } },
    });
    expect(outcome).toMatchObject({ ok: true, state: 'verified' });
    expect(api.calls.at(-1)!.body).toEqual({
      userId: 'u1',
      signature: 'ok',
      email: 'a@example.com',
      gender: 'Female',
      birthday: '1990-04-01',
      properties: { plan: 'pro' },
    });
    await lumio.user.identify('u1', 'ok-again');
    expect(api.calls.at(-1)!.body).toEqual({ userId: 'u1', signature: 'ok-again' });
    expect(lumio.user.state).toBe('verified');
    expect(Object.keys(lumio.user.genders)).toEqual(['Male', 'Female', 'Other', 'PreferNotToSay']);
  });

  it('sends company and companies with the identify, as the snippet does', async () => {
    const api = fakeWidgetApi();
    const lumio = createLumio({ widgetId: 'wgt_1', apiBase: 'https://lumio.test' }, env(api));
    await lumio.user.identify('u1', {
      hmac: 'ok',
      company: { id: 'acme', name: 'Acme' },
      companies: [{ id: 7, properties: { plan: 'pro' } }],
    });
    expect(api.calls.at(-1)!.body).toEqual({
      userId: 'u1',
      signature: 'ok',
      company: { id: 'acme', name: 'Acme' },
      companies: [{ id: 7, properties: { plan: 'pro' } }],
    });
  });

  it('sends the same requests as the command queue for the same calls', async () => {
    const viaObject = fakeWidgetApi();
    const lumio = createLumio({ widgetId: 'wgt_1', apiBase: 'https://lumio.test' }, env(viaObject));
    // Not awaited, like the command queue: track records at once, identify finishes later.
    void lumio.user.identify('u1', { hmac: 'ok', profile: { name: 'Ada', traits: { plan: 'pro' } } });
    lumio.track('invoice_sent', { amount: 12 });
    await lumio.user.resetSession();

    forgetPageEngines(); // the queue on a page of its own, or it would adopt the object client's engine
    const viaQueue = fakeWidgetApi();
    const queue = createCommandQueue({}, env(viaQueue));
    queue.dispatch('init', { widgetId: 'wgt_1', apiBase: 'https://lumio.test' });
    queue.dispatch('identify', { userId: 'u1', signature: 'ok', name: 'Ada', properties: { plan: 'pro' } });
    queue.dispatch('track', 'invoice_sent', { amount: 12 });
    queue.dispatch('resetSession');
    await queue.engine!.settled();

    // Event ids are random and times differ by a few milliseconds: the rest must match.
    const withoutIds = (events: unknown) =>
      (events as Array<{ name: string; props?: unknown }>).map(({ name, props }) => ({ name, props }));
    const shape = (calls: typeof viaObject.calls) =>
      calls.map((c) => [
        c.path,
        c.body && { ...c.body, anonymousId: c.body.anonymousId ? 'id' : undefined, events: c.body.events && withoutIds(c.body.events) },
      ]);
    expect(shape(viaQueue.calls)).toEqual(shape(viaObject.calls));
  });
});
