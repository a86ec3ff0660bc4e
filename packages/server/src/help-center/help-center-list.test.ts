import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { call, otherWorkspaceOwner, setupOwner, workspaceApi, type Session } from '../test-support/api-helpers.js';

for (const dialect of DIALECTS) {
  describe(`help center article list [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let api: ReturnType<typeof workspaceApi>;
    let guides: string;
    let billing: string;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      api = workspaceApi(t, owner);
      guides = (await api('POST', '/help/collections', { name: 'Guides' })).body.id;
      billing = (await api('POST', '/help/collections', { name: 'Billing' })).body.id;
      // Same positions on purpose: the title, then the id, break the tie.
      const articles: Array<[string, string | null, number]> = [
        ['Invoices', billing, 1],
        ['Refunds', billing, 1],
        ['Welcome', guides, 0],
        ['Shortcuts', guides, 2],
        ['Changelog', null, 0],
        ['Changelog', null, 0],
      ];
      for (const [title, collectionId, position] of articles) {
        const res = await api('POST', '/help/articles', { title, body: `The **${title}** article.`, collectionId, position });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
    });
    afterAll(async () => t?.close());

    const page = async (query: string) => {
      const res = await api('GET', `/help/articles${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body as { articles: Array<Record<string, unknown> & { title: string; id: string }>; nextCursor: string | null };
    };

    it('pages through every article by position, title and id, without bodies', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const answer = await page(`?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
        for (const article of answer.articles) {
          expect(article).not.toHaveProperty('body');
          expect(article).not.toHaveProperty('html');
          expect(article.excerpt).toBe(`The ${article.title} article.`);
        }
        seen.push(...answer.articles.map((a) => a.title));
        cursor = answer.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(2);
      expect(seen).toEqual(['Changelog', 'Changelog', 'Welcome', 'Invoices', 'Refunds', 'Shortcuts']);
      // An article added while paging lands where it sorts; the pages already read stay right.
      const first = await page('?limit=2');
      await api('POST', '/help/articles', { title: 'Dolphins', collectionId: guides, position: 0 });
      const rest = await page(`?limit=10&cursor=${first.nextCursor}`);
      expect([...first.articles, ...rest.articles].map((a) => a.title)).toEqual([
        'Changelog',
        'Changelog',
        'Dolphins',
        'Welcome',
        'Invoices',
        'Refunds',
        'Shortcuts',
      ]);
    });

    it('narrows to one collection, or to the articles outside any, and counts them for the collection list', async () => {
      expect((await page(`?collectionId=${billing}`)).articles.map((a) => a.title)).toEqual(['Invoices', 'Refunds']);
      expect((await page('?collectionId=none')).articles.map((a) => a.title)).toEqual(['Changelog', 'Changelog']);
      const collections = await api('GET', '/help/collections');
      expect(collections.body.articleCounts).toEqual({ total: 7, unfiled: 2, byCollection: { [guides]: 3, [billing]: 2 } });
    });

    it('refuses a forged cursor and an out-of-range limit with invalid_request', async () => {
      for (const query of ['?cursor=not-a-cursor', `?cursor=${Buffer.from('[1,2,3]').toString('base64url')}`, '?limit=0', '?limit=201']) {
        const res = await api('GET', `/help/articles${query}`);
        expect(res.status, query).toBe(400);
        expect(res.body.error.code).toBe('invalid_request');
      }
    });

    it("shows none of another workspace's articles or counts", async () => {
      const other = { id: (await otherWorkspaceOwner(t)).workspaceId };
      const foreign = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${other.id}/help/articles`, cookie: owner.cookie });
      expect(foreign.status).toBe(404);
      const theirs = await t.services.helpCenter.pageArticles(other.id, { limit: 50 });
      expect(theirs.articles).toEqual([]);
      expect(await t.services.helpCenter.articleCounts(other.id)).toEqual({ total: 0, unfiled: 0, byCollection: {} });
    });
  });
}
