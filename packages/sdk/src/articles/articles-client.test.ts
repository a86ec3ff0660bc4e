import { afterEach, describe, expect, it } from 'vitest';
import type { LumioEvents } from '../engine/lumio-engine.js';
import { createCommandQueue } from '../client/command-queue.js';
import { createLumio, objectClient } from '../client/create-lumio.js';
import { LumioEngine } from '../engine/lumio-engine.js';
import { CookieJar, MemoryStorage, fakeWidgetApi, recordingConsole, forgetPageEngines } from '../test-support/fake-widget-api.js';

// Each test is a page of its own: no engine carries over from the previous one.
afterEach(forgetPageEngines);

const summary = (id: string, saved = false) => ({
  id,
  slug: `slug-${id}`,
  title: `Title ${id}`,
  excerpt: '',
  collectionId: 'col_1',
  updatedAt: 0,
  saved,
});

function setup() {
  const api = fakeWidgetApi();
  const out = recordingConsole();
  const env = { fetch: api.fetch, console: out.console, storage: { localStorage: () => new MemoryStorage(), document: new CookieJar() } };
  const lumio = createLumio({ widgetId: 'wgt_1', apiBase: 'https://lumio.test' }, env);
  const errors: Array<LumioEvents['error']> = [];
  lumio.on('error', (e) => errors.push(e));
  api.answer('help/articles', (call) => ({
    status: 200,
    json: { articles: call.path.includes('query=') ? [summary('a1', true), summary('a2')] : [summary('a1', true)] },
  }));
  return { api, out, env, lumio, errors };
}

const helpCalls = (api: ReturnType<typeof fakeWidgetApi>) => api.calls.filter((c) => c.path.startsWith('help/'));

describe('lumio.articles', () => {
  it('list({ limitToSaved: true }) called right after identify, without awaiting it, runs after identify with its token', async () => {
    const { api, lumio } = setup();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    api.answer('identify', async (call) => {
      await gate;
      return { status: 200, json: { token: 'tok-u1', state: 'verified', userId: call.body?.userId, expiresAt: Date.now() + 900_000 } };
    });
    const identified = lumio.user.identify('u1', 'ok');
    const saved = lumio.articles.list({ limitToSaved: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(helpCalls(api)).toEqual([]);
    release();
    await identified;
    expect(await saved).toEqual([summary('a1', true)]);
    expect(helpCalls(api)).toEqual([{ method: 'GET', path: 'help/articles?saved=true', body: undefined, token: 'tok-u1' }]);
  });

  it('builds the list query from its options and keeps only saved results when a search is limited to them', async () => {
    const { api, lumio } = setup();
    await lumio.articles.list();
    await lumio.articles.list({ collection: 'col 1', limit: 5 });
    await lumio.articles.list({ query: '   ' });
    expect(await lumio.articles.list({ query: 'reset pass', limitToSaved: true })).toEqual([summary('a1', true)]);
    expect(helpCalls(api).map((c) => c.path)).toEqual([
      'help/articles',
      'help/articles?collection=col+1&limit=5',
      'help/articles',
      'help/articles?query=reset+pass&saved=true',
    ]);
  });

  it('gets an article by id or slug, and resolves null without a console line when it is not there', async () => {
    const { api, lumio, out, errors } = setup();
    const article = { ...summary('a1'), html: '<p>Hi</p>', helpful: null };
    api.answer('help/articles/reset%2Fpassword', () => ({ status: 200, json: { article } }));
    expect(await lumio.articles.get('reset/password')).toEqual(article);
    api.refuse('help/articles/gone', 'not_found', 404);
    expect(await lumio.articles.get('gone')).toBeNull();
    expect(out.lines).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('saves, unsaves and sends feedback, resolving true once the server recorded it', async () => {
    const { api, lumio } = setup();
    api.answer('help/articles/a1/save', () => ({ status: 200, json: { ok: true, saved: true } }));
    api.answer('help/articles/a1/unsave', () => ({ status: 200, json: { ok: true, saved: false } }));
    api.answer('help/articles/a1/feedback', () => ({ status: 200, json: { ok: true } }));
    expect(await lumio.articles.save('a1')).toBe(true);
    expect(await lumio.articles.unsave('a1')).toBe(true);
    expect(await lumio.articles.feedback('a1', false)).toBe(true);
    expect(helpCalls(api).map((c) => [c.method, c.path, c.body])).toEqual([
      ['POST', 'help/articles/a1/save', {}],
      ['POST', 'help/articles/a1/unsave', {}],
      ['POST', 'help/articles/a1/feedback', { helpful: false }],
    ]);
  });

  it('records $article_saved for save and unsave exactly as the widget does: once, after the server recorded it', async () => {
    const { api, env } = setup();
    const engine = new LumioEngine({ widgetId: 'wgt_1', apiBase: 'https://lumio.test' }, env);
    const lumio = objectClient(engine);
    api.answer('help/articles/a1/save', () => ({ status: 200, json: { ok: true, saved: true } }));
    api.answer('help/articles/a1/unsave', () => ({ status: 200, json: { ok: true, saved: false } }));
    api.refuse('help/articles/a2/save', 'not_found', 404);
    expect(await lumio.articles.save('a1')).toBe(true);
    expect(await lumio.articles.unsave('a1')).toBe(true);
    // Refused by the server, or by the argument check: nothing happened, so nothing is recorded.
    expect(await lumio.articles.save('a2')).toBe(false);
    expect(await (lumio.articles.save as (id: unknown) => Promise<boolean>)(42)).toBe(false);
    await engine.flushEvents();
    const sent = api.calls
      .filter((c) => c.path === 'events')
      .flatMap((c) => c.body!.events as Array<{ name: string; props?: unknown }>)
      .filter((e) => e.name === '$article_saved');
    // The same props as HelpStore.setSaved (packages/widget/src/help/help-store.test.ts).
    expect(sent.map((e) => e.props)).toEqual([
      { articleId: 'a1', saved: true },
      { articleId: 'a1', saved: false },
    ]);
    engine.shutdown();
  });

  it('records $article_rated for feedback exactly as the widget does: once, after the server recorded it', async () => {
    const { api, env } = setup();
    const engine = new LumioEngine({ widgetId: 'wgt_1', apiBase: 'https://lumio.test' }, env);
    const lumio = objectClient(engine);
    api.answer('help/articles/a1/feedback', () => ({ status: 200, json: { ok: true } }));
    api.refuse('help/articles/a2/feedback', 'not_found', 404);
    expect(await lumio.articles.feedback('a1', true)).toBe(true);
    expect(await lumio.articles.feedback('a1', false)).toBe(true);
    // Refused by the server, or by the argument checks: nothing happened, so nothing is recorded.
    expect(await lumio.articles.feedback('a2', true)).toBe(false);
    expect(await (lumio.articles.feedback as (id: unknown, helpful: unknown) => Promise<boolean>)('a1', 'yes')).toBe(false);
    expect(await (lumio.articles.feedback as (id: unknown, helpful: unknown) => Promise<boolean>)(42, true)).toBe(false);
    await engine.flushEvents();
    const sent = api.calls
      .filter((c) => c.path === 'events')
      .flatMap((c) => c.body!.events as Array<{ name: string; props?: unknown }>)
      .filter((e) => e.name === '$article_rated');
    // The same props as HelpStore.feedback (packages/widget/src/help/help-store.test.ts).
    expect(sent.map((e) => e.props)).toEqual([
      { articleId: 'a1', helpful: true },
      { articleId: 'a1', helpful: false },
    ]);
    engine.shutdown();
  });

  it('resolves [], null or false on a failed call, with the error event and one hint, never a rejection', async () => {
    const { api, lumio, out, errors } = setup();
    api.refuse('help/articles', 'rate_limited', 429);
    api.refuse('help/articles/a1/save', 'rate_limited', 429);
    api.refuse('help/articles/a1', 'internal_error', 500);
    expect(await lumio.articles.list({ limitToSaved: true })).toEqual([]);
    expect(await lumio.articles.save('a1')).toBe(false);
    expect(await lumio.articles.get('a1')).toBeNull();
    expect(errors.map((e) => [e.call, e.code])).toEqual([
      ['articles.list', 'rate_limited'],
      ['articles.save', 'rate_limited'],
      ['articles.get', 'internal_error'],
    ]);
    expect(out.lines).toHaveLength(3);
  });

  it('refuses bad arguments with a console hint and an error event, without a request', async () => {
    const { api, lumio, out, errors } = setup();
    const bad = lumio.articles as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    expect(await bad.list!('faq')).toEqual([]);
    expect(await bad.list!({ collection: 42 })).toEqual([]);
    expect(await bad.list!({ query: 'x'.repeat(201) })).toEqual([]);
    expect(await bad.list!({ limitToSaved: 'yes' })).toEqual([]);
    expect(await bad.list!({ limit: 0 })).toEqual([]);
    expect(await bad.get!('')).toBeNull();
    expect(await bad.save!(undefined)).toBe(false);
    expect(await bad.unsave!({ id: 'a1' })).toBe(false);
    expect(await bad.feedback!('a1', 'yes')).toBe(false);
    expect(helpCalls(api)).toEqual([]);
    expect(errors.every((e) => e.code === 'invalid_argument')).toBe(true);
    expect(errors.map((e) => e.call)).toEqual([
      'articles.list',
      'articles.list',
      'articles.list',
      'articles.list',
      'articles.list',
      'articles.get',
      'articles.save',
      'articles.unsave',
      'articles.feedback',
    ]);
    expect(out.lines[0]).toBe('Lumio: invalid_argument: articles.list: takes { collection?, query?, limitToSaved?, limit? }');
    expect(out.lines[5]).toBe(
      'Lumio: invalid_argument: articles.get: needs an article id or slug (a non-empty string of at most 80 characters)',
    );
  });
});

describe("LumioWidget('articles.…')", () => {
  it('returns the same promises through the command queue, queued behind init and identify', async () => {
    const { api, env } = setup();
    const queue = createCommandQueue({}, env);
    // Before init the call is queued (nothing to return yet), like every command.
    expect(queue.dispatch('articles.list', { limitToSaved: true })).toBeUndefined();
    queue.dispatch('init', { widgetId: 'wgt_1', apiBase: 'https://lumio.test' });
    queue.dispatch('identify', { userId: 'u1', signature: 'ok' });
    api.answer('help/articles/a1', () => ({ status: 200, json: { article: { ...summary('a1'), html: '', helpful: true } } }));
    api.answer('help/articles/a1/save', () => ({ status: 200, json: { ok: true, saved: true } }));
    api.answer('help/articles/a1/unsave', () => ({ status: 200, json: { ok: true, saved: false } }));
    api.answer('help/articles/a1/feedback', () => ({ status: 200, json: { ok: true } }));
    const results = await Promise.all([
      queue.dispatch('articles.list', { query: 'pass' }),
      queue.dispatch('articles.get', 'a1'),
      queue.dispatch('articles.save', 'a1'),
      queue.dispatch('articles.unsave', 'a1'),
      queue.dispatch('articles.feedback', 'a1', true),
    ]);
    expect(results).toEqual([[summary('a1', true), summary('a2')], { ...summary('a1'), html: '', helpful: true }, true, true, true]);
    expect(helpCalls(api).map((c) => [c.path, c.token])).toEqual([
      // The list queued before init ran once init replayed it, before identify (it was called first).
      ['help/articles?saved=true', expect.stringMatching(/^tok-anon-/)],
      ['help/articles?query=pass', 'tok-user-u1'],
      ['help/articles/a1', 'tok-user-u1'],
      ['help/articles/a1/save', 'tok-user-u1'],
      ['help/articles/a1/unsave', 'tok-user-u1'],
      ['help/articles/a1/feedback', 'tok-user-u1'],
    ]);
  });
});
