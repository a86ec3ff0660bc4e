import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import {
  call,
  createApiKey,
  createWidget,
  identify,
  login,
  setupOwner,
  sign,
  startSession,
  workspaceApi,
  type Session,
} from '../test-support/api-helpers.js';
import { ARTICLE_TOPICS_TTL_MS } from './article-topics.js';
import { INTEREST_WEIGHTS as W, interestLevel } from './interest-math.js';

const DAY = 86_400_000;
let sequence = 0;
const eventId = () => `int_${(sequence++).toString(36).padStart(10, '0')}`;

for (const dialect of DIALECTS) {
  describe(`interest profiles through ingestion [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let widget: { widgetId: string; secret: string };
    let apiKey: string;
    // The dashboard signed in afresh for each call: tests move the clock by days, past a sign-in's life.
    const api = async (method: string, path: string, payload?: unknown) =>
      workspaceApi(t, { ...owner, cookie: await login(t, owner.email) })(method, path, payload);
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      t = await createTestApp(dialect, { config: { rateLimits: { eventsPerWorkspacePerMinute: 10_000 } } });
      owner = await setupOwner(t);
      widget = await createWidget(t, owner);
      apiKey = await createApiKey(t, owner);
      const billing = (await api('POST', '/help/collections', { name: 'Billing' })).body;
      const start = (await api('POST', '/help/collections', { name: 'Getting started' })).body;
      expect([billing.slug, start.slug]).toEqual(['billing', 'getting-started']);
      ids.billing = billing.id;
      ids.start = start.id;
      const article = async (key: string, body: Record<string, unknown>) => {
        const res = await api('POST', '/help/articles', { status: 'published', ...body });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        ids[key] = res.body.id;
        return res.body as { id: string; slug: string };
      };
      const invoices = await article('invoices', { title: 'Download invoices', body: 'From Billing.', collectionId: billing.id });
      await article('welcome', { title: 'Welcome', body: 'Hello.', collectionId: start.id });
      await article('draft', { title: 'Not yet', body: 'Soon.', collectionId: billing.id, status: 'draft' });
      await article('loose', { title: 'No collection', body: 'Alone.' });
      // Tags are written as the tags API stores them (a JSON list); "Payments" and "payments" are one topic.
      await t.deps.db
        .updateTable('articles')
        .set({ tags: t.adapter.json(['Invoices', 'Payments', 'payments']) })
        .where('id', '=', ids.invoices!)
        .execute();
      const linked = await api('POST', '/announcements', {
        kind: 'popup',
        title: 'New invoices',
        status: 'live',
        cta: { label: 'Read', url: `https://app.example.com/help#article/${invoices.slug}` },
      });
      expect(linked.status, JSON.stringify(linked.body)).toBe(201);
      ids.linked = linked.body.id;
      const plain = await api('POST', '/announcements', {
        kind: 'popup',
        title: 'Pricing',
        status: 'live',
        cta: { label: 'See', url: 'https://app.example.com/pricing' },
      });
      ids.plain = plain.body.id;
      // The direct tag write above told no one: drop the cached topics as a change would.
      t.services.articleTopics.invalidate(owner.workspaceId);
    });
    afterAll(async () => t?.close());

    // Posts a batch; `send` then writes the interest buffer, so what it credits is in the table.
    const post = async (token: string, events: unknown[]) => {
      const res = await call(t.app, { method: 'POST', url: `/widget/v1/${widget.widgetId}/events`, bearer: token, payload: { events } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res;
    };
    const send = async (token: string, events: unknown[]) => {
      const res = await post(token, events);
      await t.services.interestBuffer!.flush();
      return res;
    };
    const event = (name: string, props: Record<string, unknown>) => ({ id: eventId(), name, at: t.clock.now(), props });
    const view = (key: string, extra: Record<string, unknown> = {}) => event('$article_viewed', { articleId: ids[key], ...extra });
    const rows = async (viewer: string) =>
      (
        await t.deps.db
          .selectFrom('interest_scores')
          .selectAll()
          .where('workspace_id', '=', owner.workspaceId)
          .where('viewer', '=', viewer)
          .orderBy('topic')
          .execute()
      ).map((r) => ({
        topic: r.topic,
        score: Number(r.score),
        at: Number(r.updated_at),
        counts: [r.views, r.saves, r.helpful_votes, r.search_clicks, r.announcement_clicks].map(Number),
      }));
    // A fresh session of a browser (sessions expire: tests that move the clock by days take a new one).
    const session = async (userId: string | null, state: 'verified' | 'identified' | 'anonymous', anonymousId?: string) => {
      const started = await startSession(t, widget.widgetId, anonymousId);
      if (state === 'anonymous' || !userId) return { token: started.token, anonymousId: started.anonymousId };
      const res = await identify(t, widget.widgetId, started.token, {
        userId,
        ...(state === 'verified' ? { signature: sign(userId, widget.secret) } : {}),
      });
      expect(res.body.state).toBe(state);
      return { token: res.body.token as string, anonymousId: started.anonymousId };
    };

    it('adds each activity’s weight to every topic of the article: its collection and its tags', async () => {
      const { token } = await session('ada', 'verified');
      const res = await send(token, [
        view('invoices'),
        event('$article_saved', { articleId: ids.invoices, saved: true }),
        event('$article_rated', { articleId: ids.invoices, helpful: true }),
        view('invoices', { search: true }),
        event('$announcement_clicked', { announcementId: ids.linked }),
        // None of these count: an unsave, an unhelpful vote, a CTA to no article, a draft, an article
        // without topics, an unknown article, and events that are not about articles.
        event('$article_saved', { articleId: ids.invoices, saved: false }),
        event('$article_rated', { articleId: ids.welcome, helpful: false }),
        event('$announcement_clicked', { announcementId: ids.plain }),
        view('draft'),
        view('loose'),
        event('$article_viewed', { articleId: 'art_unknown' }),
        event('$article_searched', { query: 'invoices', results: 1 }),
      ]);
      expect(res.body.accepted).toBe(12);
      const total = W.view + W.save + W.helpfulVote + W.searchClick + W.announcementClick;
      const now = t.clock.now();
      const expected = { score: total, at: now, counts: [1, 1, 1, 1, 1] };
      expect(await rows('v:ada')).toEqual([
        { topic: 'billing', ...expected },
        { topic: 'invoices', ...expected },
        { topic: 'payments', ...expected },
      ]);
    });

    it('decays the stored score to now with the workspace’s half-life before adding', async () => {
      const { token } = await session('bea', 'verified');
      await send(token, [event('$article_saved', { articleId: ids.welcome, saved: true })]);
      t.clock.advance(30 * DAY);
      await send((await session('bea', 'verified')).token, [view('welcome')]);
      let [row] = await rows('v:bea');
      expect(row!.score).toBeCloseTo(W.save / 2 + W.view, 10);
      expect(row!.at).toBe(t.clock.now());
      // The per-workspace setting: a 10-day half-life halves it in 10 days.
      await t.deps.db.updateTable('workspaces').set({ interest_half_life_days: 10 }).where('id', '=', owner.workspaceId).execute();
      try {
        t.clock.advance(10 * DAY);
        await send((await session('bea', 'verified')).token, [view('welcome')]);
        [row] = await rows('v:bea');
        expect(row!.score).toBeCloseTo((W.save / 2 + W.view) / 2 + W.view, 10);
        expect(row!.counts).toEqual([2, 1, 0, 0, 0]);
      } finally {
        await t.deps.db.updateTable('workspaces').set({ interest_half_life_days: 30 }).where('id', '=', owner.workspaceId).execute();
      }
    });

    it('counts an event once: a retried batch and a repeated id are not added again', async () => {
      const { token } = await session('cyd', 'verified');
      const batch = [view('welcome'), event('$article_saved', { articleId: ids.welcome, saved: true })];
      expect((await send(token, batch)).body.accepted).toBe(2);
      const retried = await send(token, [...batch, batch[0]]);
      expect(retried.body).toMatchObject({ accepted: 0, duplicates: 3 });
      // A retry that carries a new event too: only the new one counts.
      const mixed = await send(token, [...batch, event('$article_rated', { articleId: ids.welcome, helpful: true })]);
      expect(mixed.body).toMatchObject({ accepted: 1, duplicates: 2 });
      const again = view('welcome');
      expect((await send(token, [again, again])).body).toMatchObject({ accepted: 1, duplicates: 1 });
      expect(await rows('v:cyd')).toEqual([
        { topic: 'getting-started', score: W.view * 2 + W.save + W.helpfulVote, at: t.clock.now(), counts: [2, 1, 1, 0, 0] },
      ]);
    });

    it('keeps each trust partition apart: an unverified claimant of a userId never changes its verified rows', async () => {
      const verified = await session('dee', 'verified');
      await send(verified.token, [view('welcome')]);
      const before = await rows('v:dee');
      expect(before).toHaveLength(1);
      const claimant = await session('dee', 'identified');
      await send(claimant.token, [view('invoices'), event('$article_saved', { articleId: ids.welcome, saved: true })]);
      expect(await rows('v:dee')).toEqual(before);
      expect((await rows('i:dee')).map((r) => [r.topic, r.counts])).toEqual([
        ['billing', [1, 0, 0, 0, 0]],
        ['getting-started', [0, 1, 0, 0, 0]],
        ['invoices', [1, 0, 0, 0, 0]],
        ['payments', [1, 0, 0, 0, 0]],
      ]);
      const anonymous = await session(null, 'anonymous');
      await send(anonymous.token, [view('welcome')]);
      expect((await rows(`a:${anonymous.anonymousId}`)).map((r) => r.topic)).toEqual(['getting-started']);
      expect(await rows('v:dee')).toEqual(before);
    });

    it('joins anonymous activity to the verified user on a verified identify, and never on an unverified one', async () => {
      const verified = await session('eve', 'verified');
      await send(verified.token, [view('welcome')]);
      const anonymous = await startSession(t, widget.widgetId);
      await send(anonymous.token, [view('welcome'), event('$article_saved', { articleId: ids.invoices, saved: true })]);
      t.clock.advance(30 * DAY);
      // An unverified claim of the userId takes nothing.
      const later = await startSession(t, widget.widgetId, anonymous.anonymousId);
      const claim = await identify(t, widget.widgetId, later.token, { userId: 'eve' });
      expect(claim.body.state).toBe('identified');
      expect(await rows(`a:${anonymous.anonymousId}`)).toHaveLength(4);
      expect(await rows('i:eve')).toEqual([]);
      const proof = await identify(t, widget.widgetId, later.token, { userId: 'eve', signature: sign('eve', widget.secret) });
      expect(proof.body.state).toBe('verified');
      expect(await rows(`a:${anonymous.anonymousId}`)).toEqual([]);
      const merged = await rows('v:eve');
      const now = t.clock.now();
      // Both halves decayed over the same 30 days (one half-life), then summed; counters summed.
      expect(merged.find((r) => r.topic === 'getting-started')).toEqual({
        topic: 'getting-started',
        score: expect.closeTo(W.view / 2 + W.view / 2, 10),
        at: now,
        counts: [2, 0, 0, 0, 0],
      });
      expect(merged.find((r) => r.topic === 'billing')).toEqual({
        topic: 'billing',
        score: expect.closeTo(W.save / 2, 10),
        at: now,
        counts: [0, 1, 0, 0, 0],
      });
    });

    it('follows the help center: an article moved to another collection counts there at once', async () => {
      const { token } = await session('fay', 'verified');
      // Loads the topics (the loose article has none), then moves it.
      await send(token, [view('loose')]);
      const res = await api('PATCH', `/help/articles/${ids.loose}`, { collectionId: ids.start });
      expect(res.status).toBe(200);
      await send(token, [view('loose')]);
      expect((await rows('v:fay')).map((r) => r.topic)).toEqual(['getting-started']);
      await api('PATCH', `/help/articles/${ids.loose}`, { collectionId: null });
    });

    it('sees a change no one announced within the cache’s time to live (another process’s write)', async () => {
      const { token } = await session('gus', 'verified');
      await send(token, [view('welcome')]);
      await t.deps.db
        .updateTable('articles')
        .set({ tags: t.adapter.json(['Onboarding']) })
        .where('id', '=', ids.welcome!)
        .execute();
      await send(token, [view('welcome')]);
      expect((await rows('v:gus')).map((r) => r.topic)).toEqual(['getting-started']);
      t.clock.advance(ARTICLE_TOPICS_TTL_MS);
      await send(token, [view('welcome')]);
      expect((await rows('v:gus')).map((r) => [r.topic, r.counts[0]])).toEqual([
        ['getting-started', 3],
        ['onboarding', 1],
      ]);
      await t.deps.db.updateTable('articles').set({ tags: null }).where('id', '=', ids.welcome!).execute();
      t.services.articleTopics.invalidate(owner.workspaceId);
    });

    it.runIf(dialect === 'postgres')('drops another server process’s copy of the topics on a change, by its notice', async () => {
      const other = await createTestApp(dialect, { database: t.database, masterKey: t.masterKey, clock: t.clock });
      try {
        const topicsThere = async () => (await other.services.articleTopics.forWorkspace(owner.workspaceId)).articles.get(ids.loose!);
        expect(await topicsThere()).toBeUndefined();
        expect((await api('PATCH', `/help/articles/${ids.loose}`, { collectionId: ids.billing })).status).toBe(200);
        // The clock stands still: only the NOTIFY can have dropped the other process's copy.
        await expect.poll(topicsThere, { timeout: 5_000 }).toEqual(['billing']);
      } finally {
        await api('PATCH', `/help/articles/${ids.loose}`, { collectionId: null });
        await other.close();
      }
    });

    it('queues credited activity and writes it, summed, at the flush interval', async () => {
      const { token } = await session('queued', 'verified');
      await post(token, [view('welcome')]);
      await post(token, [view('welcome'), view('invoices')]);
      // Acknowledged, but not yet written: the buffer holds it.
      expect(await rows('v:queued')).toEqual([]);
      // No flush called: the interval (LUMIO_INTEREST_FLUSH_MS, 1 s by default) writes it.
      await vi.waitFor(async () => expect(await rows('v:queued')).toHaveLength(4), { timeout: 5000, interval: 100 });
      const written = await rows('v:queued');
      expect(written.find((r) => r.topic === 'getting-started')).toMatchObject({
        score: expect.closeTo(2 * W.view, 10),
        counts: [2, 0, 0, 0, 0],
      });
      expect(written.find((r) => r.topic === 'invoices')).toMatchObject({ score: expect.closeTo(W.view, 10), counts: [1, 0, 0, 0, 0] });
    });

    it('writes credited activity in the events’ own transaction when LUMIO_INTEREST_FLUSH_MS is 0', async () => {
      const direct = await createTestApp(dialect, {
        database: t.database,
        masterKey: t.masterKey,
        clock: t.clock,
        config: { interestFlushMs: 0 },
      });
      try {
        expect(direct.services.interestBuffer).toBeNull();
        const started = await startSession(direct, widget.widgetId);
        const res = await call(direct.app, {
          method: 'POST',
          url: `/widget/v1/${widget.widgetId}/events`,
          bearer: started.token,
          payload: { events: [view('welcome')] },
        });
        expect(res.status).toBe(200);
        // Answered after the commit that also wrote the interest row.
        expect(await rows(`a:${started.anonymousId}`)).toEqual([
          { topic: 'getting-started', score: expect.closeTo(W.view, 10), at: t.clock.now(), counts: [1, 0, 0, 0, 0] },
        ]);
      } finally {
        await direct.close();
      }
    });

    it('takes a browser’s queued activity along when its verified identify joins it to the user', async () => {
      const anonymous = await startSession(t, widget.widgetId);
      await post(anonymous.token, [view('welcome')]);
      const proof = await identify(t, widget.widgetId, anonymous.token, { userId: 'quinn', signature: sign('quinn', widget.secret) });
      expect(proof.body.state).toBe('verified');
      await t.services.interestBuffer!.flush();
      expect(await rows(`a:${anonymous.anonymousId}`)).toEqual([]);
      expect(await rows('v:quinn')).toEqual([
        { topic: 'getting-started', score: expect.closeTo(W.view, 10), at: t.clock.now(), counts: [1, 0, 0, 0, 0] },
      ]);
    });

    it('erases queued activity with the user: none of it is written after the erasure', async () => {
      const { token } = await session('rex', 'verified');
      await post(token, [view('welcome')]);
      expect((await call(t.app, { method: 'DELETE', url: '/server/v1/users/rex', bearer: apiKey })).status).toBe(200);
      await t.services.interestBuffer!.flush();
      expect(await rows('v:rex')).toEqual([]);
    });

    it('exports both partitions, labelled, and erases them with the user', async () => {
      const verified = await session('hal', 'verified');
      await send(verified.token, [view('welcome')]);
      const claimant = await session('hal', 'identified');
      await send(claimant.token, [view('invoices')]);
      const other = await session('ivy', 'verified');
      await send(other.token, [view('welcome')]);
      const exported = await call(t.app, { method: 'GET', url: '/server/v1/users/hal/export', bearer: apiKey });
      expect(exported.status).toBe(200);
      const activity = (views: number) => ({ views, saves: 0, helpfulVotes: 0, searchClicks: 0, announcementClicks: 0 });
      const level = interestLevel(W.view);
      expect(exported.body.interests).toEqual({
        halfLifeDays: 30,
        topics: [
          { topic: 'getting-started', level, activity: activity(1), updatedAt: t.clock.now(), verified: true },
          ...['billing', 'invoices', 'payments'].map((topic) => ({
            topic,
            level,
            activity: activity(1),
            updatedAt: t.clock.now(),
            verified: false,
          })),
        ],
      });
      expect((await call(t.app, { method: 'DELETE', url: '/server/v1/users/hal', bearer: apiKey })).status).toBe(200);
      expect(await rows('v:hal')).toEqual([]);
      expect(await rows('i:hal')).toEqual([]);
      expect(await rows('v:ivy')).toHaveLength(1);
    });

    it('shows the user page the verified topics, strongest first, with the unverified activity apart', async () => {
      const verified = await session('jo', 'verified');
      await send(verified.token, [
        view('welcome'),
        event('$article_saved', { articleId: ids.invoices, saved: true }),
        event('$article_rated', { articleId: ids.invoices, helpful: true }),
      ]);
      const claimant = await session('jo', 'identified');
      await send(claimant.token, [view('welcome')]);
      const page = await api('GET', '/users/jo');
      expect(page.status).toBe(200);
      const strong = interestLevel(W.save + W.helpfulVote);
      expect(page.body.interests.halfLifeDays).toBe(30);
      expect(page.body.interests.verified.map((t: { topic: string; level: number }) => [t.topic, t.level])).toEqual([
        ['billing', strong],
        ['invoices', strong],
        ['payments', strong],
        ['getting-started', interestLevel(W.view)],
      ]);
      expect(page.body.interests.verified[0].activity).toEqual({
        views: 0,
        saves: 1,
        helpfulVotes: 1,
        searchClicks: 0,
        announcementClicks: 0,
      });
      expect(page.body.interests.unverified.map((t: { topic: string }) => t.topic)).toEqual(['getting-started']);
    });
  });
}
