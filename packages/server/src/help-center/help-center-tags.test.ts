import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import {
  addMember,
  call,
  createWidget,
  importHelpCenter,
  otherWorkspaceOwner,
  setupOwner,
  startSession,
  workspaceApi,
  type Session,
} from '../test-support/api-helpers.js';

// Article tags and pinned collections (issue 16): the API, the widget's views, search, front matter and topics.
for (const dialect of DIALECTS) {
  describe(`help center tags and pinned collections [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let member: Session;
    let api: ReturnType<typeof workspaceApi>;
    let widget: { widgetId: string };

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      member = await addMember(t, owner, 'writer@example.com', 'member');
      api = workspaceApi(t, member);
      widget = await createWidget(t, owner);
    });
    afterAll(async () => t?.close());

    const widgetGet = async (path: string) => {
      const session = await startSession(t, widget.widgetId);
      const res = await call(t.app, { method: 'GET', url: `/widget/v1/${widget.widgetId}/help/${path}`, bearer: session.token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };

    it('stores tags normalised, deduplicated and in order; shows them in the article, the list and the widget', async () => {
      const created = await api('POST', '/help/articles', {
        title: 'Download invoices',
        body: 'From the account page.',
        status: 'published',
        tags: ['Billing', 'Invoices & Tax', 'billing', ' Café '],
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.tags).toEqual(['billing', 'invoices-tax', 'cafe']);
      expect((await api('GET', `/help/articles/${created.body.id}`)).body.tags).toEqual(['billing', 'invoices-tax', 'cafe']);
      const listed = (await api('GET', '/help/articles')).body.articles.find((a: { id: string }) => a.id === created.body.id);
      expect(listed.tags).toEqual(['billing', 'invoices-tax', 'cafe']);

      const widgetList = await widgetGet('articles');
      expect(widgetList.articles.find((a: { id: string }) => a.id === created.body.id).tags).toEqual(['billing', 'invoices-tax', 'cafe']);
      expect((await widgetGet(`articles/${created.body.id}`)).article.tags).toEqual(['billing', 'invoices-tax', 'cafe']);

      // An article without tags has an empty list everywhere.
      const plain = await api('POST', '/help/articles', { title: 'No tags here', status: 'published' });
      expect(plain.body.tags).toEqual([]);
      expect((await widgetGet(`articles/${plain.body.id}`)).article.tags).toEqual([]);
    });

    it('changes, clears and audits tags; a PATCH without tags keeps them', async () => {
      const { body: article } = await api('POST', '/help/articles', { title: 'Change plans', tags: ['plans'] });
      const kept = await api('PATCH', `/help/articles/${article.id}`, { title: 'Change your plan' });
      expect(kept.body.tags).toEqual(['plans']);
      const changed = await api('PATCH', `/help/articles/${article.id}`, { tags: ['Upgrades', 'plans'] });
      expect(changed.body.tags).toEqual(['upgrades', 'plans']);
      // The same tags written differently are no change: no audit entry.
      await api('PATCH', `/help/articles/${article.id}`, { tags: ['UPGRADES', 'Plans'] });
      expect((await api('PATCH', `/help/articles/${article.id}`, { tags: [] })).body.tags).toEqual([]);
      await api('PATCH', `/help/articles/${article.id}`, { tags: ['x'] });
      expect((await api('PATCH', `/help/articles/${article.id}`, { tags: null })).body.tags).toEqual([]);
      // Cleared tags are SQL null in the column, one form for "none".
      const row = await t.deps.db.selectFrom('articles').select('tags').where('id', '=', article.id).executeTakeFirstOrThrow();
      expect(row.tags).toBeNull();

      const audit = await workspaceApi(t, owner)('GET', '/audit-log');
      const updates = audit.body.entries.filter(
        (e: { target: { id: string }; action: string }) => e.target.id === article.id && e.action === 'article.update',
      );
      expect(updates.map((e: { details: { changed: string[] } }) => e.details.changed).reverse()).toEqual([
        ['title'],
        ['tags'],
        ['tags'],
        ['tags'],
        ['tags'],
      ]);
    });

    it('refuses a tag that normalises to nothing (invalid_tag naming tags.<i>), more than 20 tags, and non-strings; nothing stored', async () => {
      const empty = await api('POST', '/help/articles', { title: 'Bad tags', tags: ['fine', '!!!'] });
      expect(empty.status).toBe(400);
      expect(empty.body.error).toMatchObject({ code: 'invalid_tag', details: { field: 'tags.1' } });
      const many = await api('POST', '/help/articles', { title: 'Bad tags', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) });
      expect(many.body.error).toMatchObject({ code: 'invalid_request', details: { field: 'tags' } });
      const notString = await api('POST', '/help/articles', { title: 'Bad tags', tags: ['a', 1] });
      expect(notString.body.error).toMatchObject({ code: 'invalid_request', details: { field: 'tags.1' } });
      const long = await api('POST', '/help/articles', { title: 'Bad tags', tags: ['x'.repeat(201)] });
      expect(long.body.error).toMatchObject({ code: 'invalid_request', details: { field: 'tags.0' } });
      const twenty = await api('POST', '/help/articles', { title: 'Twenty tags', tags: Array.from({ length: 20 }, (_, i) => `t${i}`) });
      expect(twenty.body.tags).toHaveLength(20);
      const patch = await api('PATCH', `/help/articles/${twenty.body.id}`, { tags: ['ok', '—'] });
      expect(patch.body.error).toMatchObject({ code: 'invalid_tag', details: { field: 'tags.1' } });
      expect((await api('GET', `/help/articles/${twenty.body.id}`)).body.tags).toHaveLength(20);
      const titles = (await api('GET', '/help/articles?limit=200')).body.articles.map((a: { title: string }) => a.title);
      expect(titles).not.toContain('Bad tags');
    });

    it('filters the dashboard list by a tag (normalised), with a collection and across pages', async () => {
      const { body: col } = await api('POST', '/help/collections', { name: 'Filtered' });
      const made: string[] = [];
      for (const [title, tags, collectionId] of [
        ['Filter one', ['Filter-me', 'other'], col.id],
        ['Filter two', ['filter-me'], null],
        ['Filter three', ['filter-me-not'], col.id],
        ['Filter four', ['FILTER me'], col.id],
      ] as const)
        made.push((await api('POST', '/help/articles', { title, tags, collectionId })).body.id);
      const titles = async (query: string) =>
        ((await api('GET', `/help/articles?${query}`)).body.articles as Array<{ title: string }>).map((a) => a.title).sort();
      expect(await titles('tag=filter-me')).toEqual(['Filter four', 'Filter one', 'Filter two']);
      expect(await titles('tag=Filter%20Me')).toEqual(['Filter four', 'Filter one', 'Filter two']);
      expect(await titles(`tag=filter-me&collectionId=${col.id}`)).toEqual(['Filter four', 'Filter one']);
      expect(await titles('tag=filter-me&collectionId=none')).toEqual(['Filter two']);
      expect(await titles('tag=nothing-has-this')).toEqual([]);
      const first = await api('GET', '/help/articles?tag=filter-me&limit=2');
      const second = await api('GET', `/help/articles?tag=filter-me&limit=2&cursor=${first.body.nextCursor}`);
      expect([...first.body.articles, ...second.body.articles].map((a: { title: string }) => a.title).sort()).toEqual([
        'Filter four',
        'Filter one',
        'Filter two',
      ]);
      expect(second.body.nextCursor).toBeNull();
      const bad = await api('GET', '/help/articles?tag=%3F%3F');
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({ code: 'invalid_tag', details: { field: 'tag' } });
      for (const id of made) await api('DELETE', `/help/articles/${id}`);
      await api('DELETE', `/help/collections/${col.id}`);
    });

    it('finds an article by its tag in search, in the widget and follows tag changes', async () => {
      const { body: article } = await api('POST', '/help/articles', {
        title: 'Connect your calendar',
        body: 'Open the integrations page.',
        status: 'published',
        tags: ['scheduling'],
      });
      const search = async (query: string) =>
        ((await widgetGet(`articles?query=${encodeURIComponent(query)}`)).articles as Array<{ id: string; tags: string[] }>).map(
          (a) => a.id,
        );
      expect(await search('scheduling')).toEqual([article.id]);
      // A typo too: tag words join the vocabulary.
      expect(await search('schedulng')).toEqual([article.id]);
      await api('PATCH', `/help/articles/${article.id}`, { tags: ['Time zones'] });
      expect(await search('scheduling')).toEqual([]);
      expect(await search('zones')).toEqual([article.id]);
      // Drafts stay out of the widget's search, tags or not.
      await api('PATCH', `/help/articles/${article.id}`, { status: 'draft' });
      expect(await search('zones')).toEqual([]);
    });

    it('writes tags to front matter and reads them back (round trip), refusing a bad tag with the file named', async () => {
      const { body: article } = await api('POST', '/help/articles', {
        title: 'Refund a payment',
        body: 'Refunds take five days.',
        tags: ['refunds', 'Billing'],
      });
      const exported = (await api('GET', '/help/export')).body.files as Array<{ path: string; content: string }>;
      const file = exported.find((f) => f.path === 'refund-a-payment.md')!;
      expect(file.content).toMatch(/^tags:\n {2}- refunds\n {2}- billing$/m);
      // An article without tags writes no tags line.
      expect(exported.find((f) => f.path === 'no-tags-here.md')!.content).not.toMatch(/^tags:/m);

      // Tags cleared in the workspace, then the export imported: they are back.
      await api('PATCH', `/help/articles/${article.id}`, { tags: [] });
      const imported = await importHelpCenter(api, exported);
      expect(imported.body.status, JSON.stringify(imported.body)).toBe('succeeded');
      expect((await api('GET', `/help/articles/${article.id}`)).body.tags).toEqual(['refunds', 'billing']);
      expect((await api('GET', '/help/export')).body.files).toEqual(exported);

      // Flow style as people write it, normalised like the API's.
      const flow = await importHelpCenter(api, [
        { path: 'refund-a-payment.md', content: '---\ntitle: Refund a payment\ntags: [Refunds, "Money back", refunds]\n---\n\nRefunds.' },
      ]);
      expect(flow.body.status, JSON.stringify(flow.body)).toBe('succeeded');
      expect((await api('GET', `/help/articles/${article.id}`)).body.tags).toEqual(['refunds', 'money-back']);

      const bad = await api('POST', '/help/import', {
        files: [
          { path: 'fine.md', content: '---\ntitle: Fine\ntags: [ok]\n---\nx' },
          { path: 'bad.md', content: '---\ntitle: Bad\ntags: [ok, "???"]\n---\nx' },
        ],
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.details.errors).toEqual([{ path: 'bad.md', message: expect.stringMatching(/^tags\.1: /) }]);
      const tooMany = await api('POST', '/help/import', {
        files: [
          { path: 'many.md', content: `---\ntitle: Many\ntags: [${Array.from({ length: 21 }, (_, i) => `t${i}`).join(', ')}]\n---\nx` },
        ],
      });
      expect(tooMany.body.error.details.errors).toEqual([{ path: 'many.md', message: expect.stringMatching(/^tags: /) }]);
    });

    it('stores, changes, exports and shows the pinned flag of collections (dashboard and widget)', async () => {
      const pinned = await api('POST', '/help/collections', { name: 'Start here', pinned: true });
      expect(pinned.status).toBe(201);
      expect(pinned.body.pinned).toBe(true);
      const plain = await api('POST', '/help/collections', { name: 'Other things' });
      expect(plain.body.pinned).toBe(false);
      expect((await api('POST', '/help/collections', { name: 'Bad', pinned: 'yes' })).body.error).toMatchObject({
        code: 'invalid_request',
        details: { field: 'pinned' },
      });
      for (const c of [pinned.body, plain.body])
        await api('POST', '/help/articles', { title: `In ${c.name}`, collectionId: c.id, status: 'published' });

      const listed = (await api('GET', '/help/collections')).body.collections as Array<{ id: string; pinned: boolean }>;
      expect(listed.find((c) => c.id === pinned.body.id)!.pinned).toBe(true);
      expect(listed.find((c) => c.id === plain.body.id)!.pinned).toBe(false);
      const inWidget = (await widgetGet('collections')).collections as Array<{ id: string; pinned: boolean }>;
      expect(inWidget.find((c) => c.id === pinned.body.id)!.pinned).toBe(true);
      expect(inWidget.find((c) => c.id === plain.body.id)!.pinned).toBe(false);

      // Front matter keeps it: exported, unpinned here, imported back.
      const exported = (await api('GET', '/help/export')).body.files as Array<{ path: string; content: string }>;
      expect(exported.find((f) => f.path === 'start-here/_collection.md')!.content).toMatch(/^pinned: true$/m);
      expect(exported.find((f) => f.path === 'other-things/_collection.md')!.content).not.toMatch(/^pinned:/m);
      const unpinned = await api('PATCH', `/help/collections/${pinned.body.id}`, { pinned: false });
      expect(unpinned.body.pinned).toBe(false);
      expect((await api('PATCH', `/help/collections/${plain.body.id}`, { pinned: true })).body.pinned).toBe(true);
      expect((await importHelpCenter(api, exported)).body.status).toBe('succeeded');
      const after = (await api('GET', '/help/collections')).body.collections as Array<{ id: string; pinned: boolean }>;
      expect(after.find((c) => c.id === pinned.body.id)!.pinned).toBe(true);
      expect(after.find((c) => c.id === plain.body.id)!.pinned).toBe(false);

      const audit = await workspaceApi(t, owner)('GET', '/audit-log');
      const changes = audit.body.entries.filter(
        (e: { target: { id: string }; action: string }) => e.target.id === pinned.body.id && e.action === 'collection.update',
      );
      expect(changes.map((e: { details: { changed: string[] } }) => e.details.changed)).toContainEqual(['pinned']);
    });

    it("lists the workspace's topics: collection slugs and article tags with counts, never another workspace's", async () => {
      const other = await otherWorkspaceOwner(t, `outsider-${dialect}@example.com`);
      const otherApi = workspaceApi(t, other);
      await otherApi('POST', '/help/collections', { name: 'Secret collection' });
      await otherApi('POST', '/help/articles', { title: 'Theirs', tags: ['secret-topic', 'billing'] });

      await api('POST', '/help/collections', { name: 'Billing' });
      const { body } = await api('GET', '/help/topics');
      const topics = body.topics as Array<{ topic: string; collections: number; articles: number }>;
      const byTopic = new Map(topics.map((x) => [x.topic, x]));
      // Billing: the collection made above and the tag of Download invoices (Refund a payment's was imported away).
      expect(byTopic.get('billing')).toEqual({ topic: 'billing', collections: 1, articles: 1 });
      expect(byTopic.get('start-here')).toEqual({ topic: 'start-here', collections: 1, articles: 0 });
      expect(byTopic.get('refunds')).toEqual({ topic: 'refunds', collections: 0, articles: 1 });
      // Drafts count (a team writes conditions before it publishes); twenty tags of one article each count once.
      expect(byTopic.get('t19')).toEqual({ topic: 't19', collections: 0, articles: 1 });
      expect(topics[0]!.topic).toBe('billing');
      // The most used first, then by name.
      for (let i = 1; i < topics.length; i++) {
        const [a, b] = [topics[i - 1]!, topics[i]!];
        const order = b.collections + b.articles - (a.collections + a.articles) || (a.topic < b.topic ? -1 : 1);
        expect(order, `${a.topic} before ${b.topic}`).toBeLessThan(0);
      }
      expect(JSON.stringify(body)).not.toContain('secret');
      const theirs = (await otherApi('GET', '/help/topics')).body.topics.map((x: { topic: string }) => x.topic).sort();
      expect(theirs).toEqual(['billing', 'secret-collection', 'secret-topic']);
      // Another workspace's id: 404, like every workspace route.
      const cross = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${other.workspaceId}/help/topics`, cookie: member.cookie });
      expect(cross.status).toBe(404);
    });
  });
}
