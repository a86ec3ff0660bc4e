import { validateAnalyticsEvent } from '@lumio/protocol';
import type { HelpArticle } from '@lumio/protocol/browser';
import { LumioEngine, type ApiResult } from '@lumio/sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { engineHelpApi, followEngineHelp } from './follow-engine.js';
import { HelpStore, SEARCH_SETTLED_MS, type HelpApi } from './help-store.js';

interface Call {
  method: string;
  path: string;
  token: string | null;
  body: unknown;
}

const summary = (id: string) => ({
  id,
  slug: id,
  title: id,
  excerpt: '',
  collectionId: null,
  updatedAt: 0,
  tags: ['billing'],
  saved: true,
});

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
    // Ranked for the viewer: Ada gets her picks, an anonymous session none.
    if (path === 'help/suggested?limit=3')
      return json({
        articles: token === 'tok_ada' ? [summary('ada_pick'), summary('ada_second')].map((a) => ({ ...a, saved: false })) : [],
      });
    if (path === 'help/articles/a%2F1/save') return json({ ok: true, saved: true });
    if (path === 'events') return json({ accepted: body.events.length, duplicates: 0, rejected: [] });
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
      ['help/suggested?limit=3', 'tok_ada'],
    ]);
    expect(store.view.saved.map((a) => a.id)).toEqual(['ada_saved']);
    expect(store.view.suggested.map((a) => a.id)).toEqual(['ada_pick', 'ada_second']);
    const epoch = store.view.epoch;

    await engine.resetSession();
    // Ada's saved articles and her suggestions are gone at once, and the UI is told to start afresh.
    expect(store.view.epoch).toBeGreaterThan(epoch);
    expect(store.view.suggested).toEqual([]);
    await until(() => helpCalls().some((c) => c.token === 'tok_anon_2'));
    await until(() => store.view.status === 'ready');
    expect(store.view.saved).toEqual([]);
    expect(store.view.suggested).toEqual([]);
    expect(
      helpCalls()
        .slice(3)
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
    ).toEqual(['help/collections', 'help/articles?saved=true', 'help/suggested?limit=3']);
    expect(store.view.suggested.map((a) => a.id)).toEqual(['ada_pick', 'ada_second']);
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

describe('HelpStore suggestions and collection order', () => {
  const collection = (id: string) => ({ id, name: id, slug: id, description: '', pinned: false, articleCount: 1 });

  /** A help API whose answers the test changes between refreshes; `failSuggested` makes only the suggestions fail. */
  function rankedApi() {
    const state = {
      collections: [collection('col_b'), collection('col_a'), collection('col_c')],
      suggested: [summary('s1'), summary('s2')],
      failSuggested: false,
    };
    const api: HelpApi = {
      collections: async () => ({ ok: true, value: { collections: state.collections } }),
      articles: async () => ({ ok: true, value: { articles: [] } }),
      suggested: async () =>
        state.failSuggested
          ? { ok: false, code: 'internal_error', message: 'no', status: 500 }
          : { ok: true, value: { articles: state.suggested } },
      article: async () => ({ ok: false, code: 'not_found', message: 'no', status: 404 }),
      setSaved: async () => ({ ok: true, value: {} }),
      feedback: async () => ({ ok: true, value: {} }),
      record: () => {},
    };
    return { state, store: new HelpStore(api) };
  }

  it('keeps the collections and the suggestions in the order the server answered them', async () => {
    const { state, store } = rankedApi();
    store.open();
    await until(() => store.view.status === 'ready');
    expect(store.view.collections.map((c) => c.id)).toEqual(['col_b', 'col_a', 'col_c']);
    expect(store.view.suggested.map((a) => a.id)).toEqual(['s1', 's2']);
    // Another ranking (the viewer's interests moved): shown as answered.
    state.collections = [collection('col_c'), collection('col_b'), collection('col_a')];
    state.suggested = [summary('s3')];
    await store.refresh();
    expect(store.view.collections.map((c) => c.id)).toEqual(['col_c', 'col_b', 'col_a']);
    expect(store.view.suggested.map((a) => a.id)).toEqual(['s3']);
    // Nothing suggested any more: the list empties (the section hides).
    state.suggested = [];
    await store.refresh();
    expect(store.view.suggested).toEqual([]);
  });

  it('still shows the help center when only the suggestions fail, and keeps the suggestions it had', async () => {
    const { state, store } = rankedApi();
    state.failSuggested = true;
    store.open();
    await until(() => store.view.status === 'ready');
    expect(store.view.collections).toHaveLength(3);
    expect(store.view.suggested).toEqual([]);
    state.failSuggested = false;
    await store.refresh();
    expect(store.view.suggested.map((a) => a.id)).toEqual(['s1', 's2']);
    state.failSuggested = true;
    await store.refresh();
    expect(store.view.suggested.map((a) => a.id)).toEqual(['s1', 's2']);
    // A change of identity drops them at once, whatever the next answer.
    store.clear();
    expect(store.view.suggested).toEqual([]);
  });
});

describe('HelpStore analytics', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const article = (id: string): HelpArticle => ({ ...summary(id), saved: false, html: '<p>x</p>', helpful: null });

  /** A help API answering from memory: `fail` makes every call fail, `delays` slows a search down. */
  function fakeApi() {
    const recorded: Array<[string, unknown]> = [];
    const state = { fail: false, delays: {} as Record<string, number> };
    const ok = <T>(value: T): ApiResult<T> =>
      state.fail ? { ok: false, code: 'network_error', message: 'down', status: 0 } : { ok: true, value };
    const api: HelpApi = {
      collections: async () => ok({ collections: [] }),
      suggested: async () => ok({ articles: [] }),
      articles: async ({ query }) => {
        await new Promise((resolve) => setTimeout(resolve, state.delays[query ?? ''] ?? 10));
        return ok({ articles: query === 'nothing' ? [] : [summary('a1'), summary('a2')] });
      },
      article: async (ref) =>
        ref === 'gone' ? { ok: false, code: 'not_found', message: 'no', status: 404 } : ok({ article: article('art_1') }),
      setSaved: async () => ok({ ok: true }),
      feedback: async () => ok({ ok: true }),
      record: (name, ...props) => void recorded.push([name, props[0]]),
    };
    return { api, recorded, state, store: new HelpStore(api) };
  }

  it('records an article viewed (by its id, also when opened by slug), saved, unsaved and rated, once the server agreed', async () => {
    const { store, recorded, state } = fakeApi();
    await store.article('reset-your-password');
    await store.article('gone');
    await store.setSaved(summary('art_1'), true);
    await store.setSaved(summary('art_1'), false);
    await store.feedback('art_1', false);
    state.fail = true;
    await store.setSaved(summary('art_1'), true);
    await store.feedback('art_1', true);
    expect(recorded).toEqual([
      ['$article_viewed', { articleId: 'art_1' }],
      ['$article_saved', { articleId: 'art_1', saved: true }],
      ['$article_saved', { articleId: 'art_1', saved: false }],
      ['$article_rated', { articleId: 'art_1', helpful: false }],
    ]);
  });

  it('marks an article opened from search results (search: true), in a form the server accepts', async () => {
    const { store, recorded } = fakeApi();
    void store.search('password');
    await vi.advanceTimersByTimeAsync(10);
    await store.article('art_1', { search: true });
    await store.article('art_1', { search: false });
    const views = recorded.filter(([name]) => name === '$article_viewed');
    expect(views).toEqual([
      ['$article_viewed', { articleId: 'art_1', search: true }],
      ['$article_viewed', { articleId: 'art_1' }],
    ]);
    for (const [name, props] of views) {
      const checked = validateAnalyticsEvent({ id: 'evt_00000001', name, at: Date.now(), props }, Date.now());
      expect(checked.ok && checked.value.props).toEqual(props);
    }
  });

  it('records one search for a query typed letter by letter: the one whose results settled', async () => {
    const { store, recorded } = fakeApi();
    // What the search box does: a search per pause of its debounce, the newest answer wins.
    for (const query of ['pa', 'pass', 'password']) {
      void store.search(query);
      // Answered after 10 ms; the next keystroke's search comes before the results settle.
      await vi.advanceTimersByTimeAsync(query === 'password' ? 10 : 600);
    }
    await vi.advanceTimersByTimeAsync(SEARCH_SETTLED_MS - 1);
    expect(recorded).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(recorded).toEqual([['$article_searched', { query: 'password', results: 2 }]]);
    await vi.advanceTimersByTimeAsync(10 * SEARCH_SETTLED_MS);
    expect(recorded).toHaveLength(1);
  });

  it('records a search at once when an article is opened from its results, and a search finding nothing', async () => {
    const { store, recorded } = fakeApi();
    void store.search('password');
    await vi.advanceTimersByTimeAsync(10);
    void store.article('art_1');
    await vi.advanceTimersByTimeAsync(0);
    void store.search('nothing');
    await vi.advanceTimersByTimeAsync(10 + SEARCH_SETTLED_MS);
    expect(recorded).toEqual([
      ['$article_searched', { query: 'password', results: 2 }],
      ['$article_viewed', { articleId: 'art_1' }],
      ['$article_searched', { query: 'nothing', results: 0 }],
    ]);
  });

  it('records no failed search, no answer overtaken by a newer search, and nothing of the identity before a logout', async () => {
    const { store, recorded, state } = fakeApi();
    state.delays.slow = 2000;
    void store.search('slow');
    await vi.advanceTimersByTimeAsync(100);
    void store.search('fast');
    await vi.advanceTimersByTimeAsync(3000 + SEARCH_SETTLED_MS);
    expect(recorded).toEqual([['$article_searched', { query: 'fast', results: 2 }]]);
    void store.search('before logout');
    await vi.advanceTimersByTimeAsync(10);
    store.clear();
    state.fail = true;
    void store.search('failing');
    await vi.advanceTimersByTimeAsync(10 * SEARCH_SETTLED_MS);
    expect(recorded).toHaveLength(1);
  });

  it('sends what it records through the engine, events the server accepts', async () => {
    vi.useRealTimers();
    const { server, engine, store } = setup();
    await engine.identify({ userId: 'ada', signature: 'ok' });
    expect(await store.setSaved({ ...summary('a/1'), saved: false }, true)).toBe(true);
    await engine.flushEvents();
    const posts = server.calls.filter((c) => c.path === 'events');
    expect(posts.map((c) => c.token)).toEqual(['tok_ada']);
    const events = (posts[0]!.body as { events: Array<{ name: string; props?: unknown }> }).events;
    expect(events.map((e) => [e.name, e.props])).toEqual([
      ['$identify', { outcome: 'verified' }],
      ['$article_saved', { articleId: 'a/1', saved: true }],
    ]);
    for (const event of events) expect(validateAnalyticsEvent(event, Date.now())).toMatchObject({ ok: true });
    engine.shutdown();
  });
});
