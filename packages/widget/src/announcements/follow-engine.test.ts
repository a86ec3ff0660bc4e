import { LumioEngine } from '@lumio/sdk';
import { describe, expect, it } from 'vitest';
import { sampleAnswer } from '../test-support/fixtures.js';
import { AnnouncementsStore } from './announcements-store.js';
import { engineAnnouncementsApi, followEngine } from './follow-engine.js';
import { SessionDismissals } from './session-dismissals.js';

interface Call {
  method: string;
  path: string;
  token: string | null;
  body: unknown;
}

// The widget API as far as this test needs it: sessions, identify, announcements and their events.
function fakeServer() {
  const calls: Call[] = [];
  let sessions = 0;
  const fetchFn = (async (url: string | URL, init?: RequestInit) => {
    const path = String(url).split('/widget/v1/wgt_1/')[1]!;
    const auth = (init?.headers as Record<string, string> | undefined)?.authorization ?? null;
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method: init?.method ?? 'GET', path, token: auth && auth.slice(7), body });
    const json = (value: unknown) => new Response(JSON.stringify(value), { status: 200, headers: { 'content-type': 'application/json' } });
    const expiresAt = Date.now() + 900_000;
    if (path === 'session') return json({ token: `tok_anon_${++sessions}`, state: 'anonymous', userId: null, expiresAt });
    if (path === 'identify') return json({ token: 'tok_ada', state: 'verified', userId: 'ada', expiresAt });
    if (path === 'announcements') return json(sampleAnswer());
    if (path.endsWith('/events')) return json({ ok: true });
    if (path === 'events') return json({ accepted: body.events.length, duplicates: 0, rejected: [] });
    return new Response(JSON.stringify({ error: { code: 'not_found', message: 'no' } }), { status: 404 });
  }) as typeof fetch;
  return { fetch: fetchFn, calls };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
};

describe('followEngine', () => {
  it('fetches once the session is ready, again after identify and after logout, with the session token each time', async () => {
    const server = fakeServer();
    const engine = new LumioEngine(
      { widgetId: 'wgt_1', apiBase: 'https://lumio.test' },
      { fetch: server.fetch, storage: { localStorage: () => null, document: null }, console: { warn: () => {}, error: () => {} } },
    );
    const store = new AnnouncementsStore(engineAnnouncementsApi(engine), new SessionDismissals('wgt_1', { sessionStorage: () => null }));
    followEngine(engine, store);
    const fetches = () => server.calls.filter((c) => c.path === 'announcements');

    await until(() => store.view.loaded);
    expect(fetches().map((c) => c.token)).toEqual(['tok_anon_1']);

    await engine.identify({ userId: 'ada', signature: 'ok' });
    await until(() => fetches().length === 2);
    expect(fetches()[1]!.token).toBe('tok_ada');

    // The same user again (a new plan, say): no state change, but a new answer.
    await engine.identify({ userId: 'ada', signature: 'ok', properties: { plan: 'free' } });
    await until(() => fetches().length === 3);
    expect(fetches()[2]!.token).toBe('tok_ada');

    await until(() => store.view.popup !== null);
    await engine.resetSession();
    // The previous user's popup is gone at once; the new anonymous session fetches its own.
    expect(store.view.popup).toBeNull();
    await until(() => fetches().at(-1)!.token === 'tok_anon_2' && store.view.popup !== null);

    store.dismiss('ann_popup');
    await until(() => server.calls.some((c) => c.path === 'announcements/ann_popup/events'));
    expect(server.calls.at(-1)).toEqual({
      method: 'POST',
      path: 'announcements/ann_popup/events',
      token: 'tok_anon_2',
      body: { type: 'dismissed' },
    });
    engine.shutdown();
  });

  it('fetches at once when it follows an engine that is already ready (widget.js adopting the engine of createLumio)', async () => {
    const server = fakeServer();
    const engine = new LumioEngine(
      { widgetId: 'wgt_1', apiBase: 'https://lumio.test' },
      { fetch: server.fetch, storage: { localStorage: () => null, document: null }, console: { warn: () => {}, error: () => {} } },
    );
    await engine.identify({ userId: 'ada', signature: 'ok' });
    expect(engine.isReady).toBe(true);
    const store = new AnnouncementsStore(engineAnnouncementsApi(engine), new SessionDismissals('wgt_1', { sessionStorage: () => null }));
    followEngine(engine, store);
    await until(() => store.view.loaded);
    expect(server.calls.filter((c) => c.path === 'announcements').map((c) => c.token)).toEqual(['tok_ada']);
    engine.shutdown();
  });
});
