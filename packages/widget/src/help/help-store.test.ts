import { LumioEngine } from '@lumio/sdk';
import { describe, expect, it } from 'vitest';
import { engineHelpApi, followEngineHelp } from './follow-engine.js';
import { HelpStore } from './help-store.js';

interface Call {
  method: string;
  path: string;
  token: string | null;
  body: unknown;
}

const summary = (id: string) => ({ id, slug: id, title: id, excerpt: '', collectionId: null, updatedAt: 0, saved: true });

// The widget API as far as this test needs it: sessions, identify, and a help center whose saved list is per token.
function fakeServer() {
  const calls: Call[] = [];
  let sessions = 0;
  const fetchFn = (async (url: string | URL, init?: RequestInit) => {
    const path = String(url).split('/widget/v1/wgt_1/')[1]!;
    const token = (init?.headers as Record<string, string> | undefined)?.authorization?.slice(7) ?? null;
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method: init?.method ?? 'GET', path, token, body });
    const json = (value: unknown, status = 200) =>
      new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
    const expiresAt = Date.now() + 900_000;
    if (path === 'session') return json({ token: `tok_anon_${++sessions}`, state: 'anonymous', userId: null, expiresAt });
    if (path === 'identify') return json({ token: 'tok_ada', state: 'verified', userId: 'ada', expiresAt });
    if (path === 'help/collections')
      return json({ collections: [{ id: 'col_1', name: 'FAQ', slug: 'faq', description: '', articleCount: 1 }] });
    if (path === 'help/articles?saved=true') return json({ articles: token === 'tok_ada' ? [summary('ada_saved')] : [] });
    if (path === 'help/articles/a%2F1/save') return json({ ok: true, saved: true });
    if (path === 'help/articles/gone') return json({ error: { code: 'not_found', message: 'no' } }, 404);
    return json({ error: { code: 'internal_error', message: 'no' } }, 500);
  }) as typeof fetch;
  return { fetch: fetchFn, calls };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
};

function setup() {
  const server = fakeServer();
  const warnings: string[] = [];
  const engine = new LumioEngine(
    { widgetId: 'wgt_1', apiBase: 'https://lumio.test' },
    {
      fetch: server.fetch,
      storage: { localStorage: () => null, document: null },
      console: { warn: (line: string) => warnings.push(line), error: () => {} },
    },
  );
  const store = new HelpStore(engineHelpApi(engine));
  followEngineHelp(engine, store);
  const helpCalls = () => server.calls.filter((c) => c.path.startsWith('help/'));
  return { server, engine, store, helpCalls, warnings };
}

describe('HelpStore following the engine', () => {
  it('fetches nothing until the Help tab opens, then refetches after identify and logout with the new token, never mixing saved lists', async () => {
    const { engine, store, helpCalls } = setup();
    await engine.identify({ userId: 'ada', signature: 'ok' });
    expect(helpCalls()).toEqual([]);
    expect(store.view.status).toBe('idle');

    store.open();
    store.open();
    await until(() => store.view.status === 'ready');
    expect(helpCalls().map((c) => [c.path, c.token])).toEqual([
      ['help/collections', 'tok_ada'],
      ['help/articles?saved=true', 'tok_ada'],
    ]);
    expect(store.view.saved.map((a) => a.id)).toEqual(['ada_saved']);
    const epoch = store.view.epoch;

    await engine.resetSession();
    // Ada's saved articles are gone at once, and the UI is told to start afresh.
    expect(store.view.epoch).toBeGreaterThan(epoch);
    await until(() => helpCalls().some((c) => c.token === 'tok_anon_2'));
    await until(() => store.view.status === 'ready');
    expect(store.view.saved).toEqual([]);
    expect(
      helpCalls()
        .slice(2)
        .every((c) => c.token === 'tok_anon_2'),
    ).toBe(true);

    // A verifying identify changes the state and identifies: one refetch, not two.
    const before = helpCalls().length;
    await engine.identify({ userId: 'ada', signature: 'ok' });
    await until(() => store.view.saved.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(
      helpCalls()
        .slice(before)
        .map((c) => c.path),
    ).toEqual(['help/collections', 'help/articles?saved=true']);
    engine.shutdown();
  });

  it('adds a saved article to the saved list, and reads a missing article as null without a console line', async () => {
    const { engine, store, helpCalls, warnings } = setup();
    store.open();
    await until(() => store.view.status === 'ready');
    const article = { ...summary('a/1'), saved: false, snippet: '<mark>x</mark>' };
    expect(await store.setSaved(article, true)).toBe(true);
    expect(store.view.saved).toEqual([{ ...summary('a/1'), saved: true }]);
    expect(await store.article('gone')).toBeNull();
    expect(warnings).toEqual([]);
    // A failed call is false, and the SDK printed its hint.
    expect(await store.feedback('a1', true)).toBe(false);
    expect(warnings).toEqual([expect.stringMatching(/^Lumio: internal_error/)]);
    expect(helpCalls().at(-1)).toMatchObject({ method: 'POST', path: 'help/articles/a1/feedback', body: { helpful: true } });
    engine.shutdown();
  });
});
