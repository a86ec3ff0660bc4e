import crypto from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../audit/audit-log.js';
import { AuditLog } from '../../audit/audit-log.js';
import { renderMarkdown } from '../../content/render-markdown.js';
import { MarkdownRenderer } from '../../content/markdown-renderer.js';
import type { DialectAdapter } from '../../db/dialects/dialect-adapter.js';
import * as articleSearchMigration from '../../db/migrations/0005-article-search.js';
import type { Database } from '../../db/schema.js';
import { SegmentsService } from '../../segments/segments-service.js';
import { createMigratedDatabase, DIALECTS, TestClock } from '../../test-support/test-app.js';
import { HelpCenterService } from '../help-center-service.js';
import { ArticleSearch } from './article-search.js';

const HOSTILE_QUERIES = [
  '"',
  '""',
  '*',
  'NEAR(',
  'NEAR(password reset, 2)',
  '-',
  '-password',
  'AND OR NOT',
  "'); drop table articles; --",
  'password"*',
  'title:password',
  '^password',
  'pass*word',
  "'pass':*",
  '!(&|)<->',
  '\\',
  ':*',
  '{title}: password',
  'x'.repeat(5000),
  Array.from({ length: 50 }, (_, i) => `word${i}`).join(' '),
];

for (const dialect of DIALECTS) {
  describe(`article search (${dialect})`, () => {
    let adapter: DialectAdapter;
    let close: () => Promise<void>;
    let search: ArticleSearch;
    let db: Kysely<Database>;

    beforeAll(async () => {
      ({ adapter, close } = await createMigratedDatabase(dialect));
      db = adapter.db;
      search = new ArticleSearch({ db, adapter });
    });
    afterAll(async () => close());

    async function workspace(): Promise<string> {
      const id = `ws_${crypto.randomBytes(5).toString('hex')}`;
      await db.insertInto('workspaces').values({ id, name: id, created_at: 0 }).execute();
      return id;
    }

    // Writes the article row and indexes it in one transaction, as HelpCenterService does.
    async function put(
      workspaceId: string,
      article: { id?: string; title: string; body?: string; status?: 'draft' | 'published' },
    ): Promise<Database['articles']> {
      const id = article.id ?? `art_${crypto.randomBytes(5).toString('hex')}`;
      const row: Database['articles'] = {
        id,
        workspace_id: workspaceId,
        collection_id: null,
        title: article.title,
        slug: id,
        body_markdown: article.body ?? '',
        body_html: renderMarkdown(article.body ?? ''),
        excerpt: '',
        position: 0,
        status: article.status ?? 'published',
        audience: null,
        tags: null,
        author_id: null,
        created_at: 0,
        updated_at: 0,
        published_at: null,
      };
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('articles').where('id', '=', id).execute();
        await trx.insertInto('articles').values(row).execute();
        await search.index(trx, row);
      });
      return row;
    }

    const ids = async (workspaceId: string, query: string, options: { publishedOnly?: boolean } = {}) =>
      (await search.search(workspaceId, query, { limit: 10, ...options })).map((h) => h.articleId);

    it('ranks a title match above body matches, best first', async () => {
      const ws = await workspace();
      const body = await put(ws, {
        title: 'Billing overview',
        body: 'Each invoice is emailed. Find any invoice later. An invoice is a PDF.',
      });
      const title = await put(ws, { title: 'Download an invoice', body: 'Open the billing page and pick a month.' });
      await put(ws, { title: 'Keyboard shortcuts', body: 'Press ? to see them all.' });
      const hits = await search.search(ws, 'invoice', { limit: 10 });
      expect(hits.map((h) => h.articleId)).toEqual([title.id, body.id]);
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    });

    it('ranks exact words above words one typo away', async () => {
      const ws = await workspace();
      const expert = await put(ws, { title: 'Expert tips', body: 'Shortcuts for power users.' });
      const exportArticle = await put(ws, { title: 'Export your data', body: 'Download a CSV file.' });
      expect(await ids(ws, 'export')).toEqual([exportArticle.id, expert.id]);
      expect(await ids(ws, 'expert')).toEqual([expert.id, exportArticle.id]);
    });

    it('matches the last word as a prefix while the user types', async () => {
      const ws = await workspace();
      const reset = await put(ws, { title: 'Reset your password', body: 'Click "Forgot password" on the sign-in page.' });
      await put(ws, { title: 'Passing data to webhooks', body: 'Each event is posted as JSON.' });
      for (const typed of ['passw', 'passwo', 'PASSW', 'reset passw', 'reset your passw']) expect(await ids(ws, typed)).toEqual([reset.id]);
      expect(await ids(ws, 'pa')).toContain(reset.id);
      // A finished word (followed by a space) is a word, not a prefix.
      expect(await ids(ws, 'passw ')).toEqual([]);
      // Only the last word is a prefix.
      expect(await ids(ws, 'passw page')).toEqual([reset.id]);
      expect(await ids(ws, 'passw webhooks')).not.toContain(reset.id);
    });

    it('forgives one typo in words of five letters or more, and none in shorter words', async () => {
      const ws = await workspace();
      const reset = await put(ws, { title: 'Reset your password', body: 'Invite your team to the workspace.' });
      for (const typo of ['pasword', 'passwrod', 'passwordd', 'passward', 'paassword', 'reset pasword', 'workspcae', 'Pásswörd'])
        expect(await ids(ws, typo), typo).toEqual([reset.id]);
      // Two typos, or a typo in a word shorter than five letters: no match.
      for (const miss of ['paswrod', 'pswrd', 'taem', 'tema', 'rset', 'yuor']) expect(await ids(ws, miss), miss).toEqual([]);
      const hits = await search.search(ws, 'pasword', { limit: 10 });
      expect(hits[0]!.snippet).toBe('Invite your team to the workspace.');
      expect((await search.search(ws, 'workspcae', { limit: 10 }))[0]!.snippet).toBe('Invite your team to the <mark>workspace</mark>.');
    });

    it('leaves drafts out unless asked', async () => {
      const ws = await workspace();
      const draft = await put(ws, { title: 'Roadmap for next year', status: 'draft' });
      expect(await ids(ws, 'roadmap')).toEqual([]);
      expect(await ids(ws, 'roadmap', { publishedOnly: false })).toEqual([draft.id]);
      expect(await ids(ws, 'roadmp', { publishedOnly: false })).toEqual([draft.id]);
    });

    it("never returns another workspace's articles, nor its words as typo corrections", async () => {
      const mine = await workspace();
      const theirs = await workspace();
      const own = await put(mine, { title: 'Password rules', body: 'At least twelve characters.' });
      await put(theirs, { title: 'Password rules', body: 'Kubernetes deployment with twelve replicas.' });
      expect(await ids(mine, 'password')).toEqual([own.id]);
      expect(await ids(mine, 'twelve')).toEqual([own.id]);
      expect(await ids(mine, 'kubernetes')).toEqual([]);
      expect(await ids(mine, 'kubernets')).toEqual([]);
      expect(await ids(mine, 'password kubernetes')).toEqual([own.id]);
    });

    it('treats query syntax in user input as plain text', async () => {
      const ws = await workspace();
      const reset = await put(ws, { title: 'Reset your password', body: 'Not this, and not that: or the other.' });
      for (const query of HOSTILE_QUERIES) {
        const hits = await search.search(ws, query, { limit: 10 });
        expect(Array.isArray(hits), query).toBe(true);
      }
      expect(await ids(ws, 'password"*')).toEqual([reset.id]);
      expect(await ids(ws, '-password')).toEqual([reset.id]);
      expect(await ids(ws, "'); drop table articles; --")).toEqual([]);
      const { rows } = await sql<{ n: number }>`select count(*) as n from articles`.execute(db);
      expect(Number(rows[0]!.n)).toBeGreaterThan(0);
    });

    it('escapes snippets: the only markup is <mark>', async () => {
      const ws = await workspace();
      await put(ws, {
        title: 'Console safety',
        body: 'Never paste `<script>alert("x")</script>` & other code into the console: your password could leak.',
      });
      const [hit] = await search.search(ws, 'script password', { limit: 10 });
      expect(hit!.snippet).toContain('&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; &amp; other');
      expect(hit!.snippet).toContain('<mark>password</mark>');
      expect(hit!.snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>"]/);
    });

    it('picks the passage with the matched words, about 160 characters long, cut at word boundaries', async () => {
      const ws = await workspace();
      const filler = 'Lorem ipsum dolor sit amet consectetur. '.repeat(20);
      await put(ws, { title: 'Long article', body: `${filler}To reset your password, open Settings. ${filler}` });
      const [hit] = await search.search(ws, 'reset passw', { limit: 10 });
      expect(hit!.snippet).toMatch(/^…\S/);
      expect(hit!.snippet).toMatch(/\S…$/);
      expect(hit!.snippet).toContain('To <mark>reset</mark> your <mark>password</mark>, open Settings.');
      expect(hit!.snippet.replace(/<\/?mark>/g, '').length).toBeLessThanOrEqual(165);
    });

    it('indexes an article again when it changes, and forgets it when removed', async () => {
      const ws = await workspace();
      const article = await put(ws, { title: 'Connect Slack', body: 'Post announcements to a channel.' });
      expect(await ids(ws, 'slack')).toEqual([article.id]);
      await put(ws, { id: article.id, title: 'Connect Microsoft Teams', body: 'Post announcements to a channel.' });
      expect(await ids(ws, 'slack')).toEqual([]);
      expect(await ids(ws, 'microsoft')).toEqual([article.id]);
      await put(ws, { id: article.id, title: 'Connect Microsoft Teams', status: 'draft' });
      expect(await ids(ws, 'microsoft')).toEqual([]);
      await put(ws, { id: article.id, title: 'Connect Microsoft Teams', status: 'published' });
      await db.transaction().execute((trx) => search.remove(trx, ws, article.id));
      expect(await ids(ws, 'microsoft')).toEqual([]);
      expect(await ids(ws, 'microsoft', { publishedOnly: false })).toEqual([]);
    });

    it('keeps the index in step with HelpCenterService', async () => {
      const ws = await workspace();
      const clock = new TestClock();
      const markdown = new MarkdownRenderer({ workers: 1, queue: 4, budgetMs: 2000 });
      const deps = { db, adapter, clock, markdown };
      const audit = new AuditLog(deps);
      const service = new HelpCenterService(deps, audit, new SegmentsService(deps, audit, async () => {}), async () => {}, search);
      const actor: Actor = { type: 'cli', id: null, ip: null };
      const created = await service.createArticle(
        ws,
        { title: 'Two-factor authentication', body: 'Scan the **QR code**.', status: 'published' },
        actor,
      );
      expect(await ids(ws, 'authentication')).toEqual([created.id]);
      expect((await search.search(ws, 'qr code', { limit: 1 }))[0]!.snippet).toBe('Scan the <mark>QR</mark> <mark>code</mark>.');
      await service.updateArticle(ws, created.id, { body: 'Use an authenticator app.' }, actor);
      expect(await ids(ws, 'qr')).toEqual([]);
      expect(await ids(ws, 'authenticator')).toEqual([created.id]);
      await service.updateArticle(ws, created.id, { status: 'draft' }, actor);
      expect(await ids(ws, 'authenticator')).toEqual([]);
      await service.deleteArticle(ws, created.id, actor);
      expect(await ids(ws, 'authenticator', { publishedOnly: false })).toEqual([]);
      await markdown.close();
    });

    it('the migration indexes the articles that exist before it', async () => {
      const ws = await workspace();
      const row = await put(ws, { title: 'Single sign-on with Okta', body: 'Ask your administrator.' });
      // Back to before 0005, keeping the articles, then 0005 again.
      const tables =
        dialect === 'postgres'
          ? ['article_search', 'article_search_terms']
          : ['article_search_docs', 'article_search', 'article_search_terms', 'article_search_trigrams'];
      await db.transaction().execute(async (trx) => {
        for (const table of tables) await sql`drop table ${sql.table(table)}`.execute(trx);
        await articleSearchMigration.up(trx as unknown as Kysely<unknown>, adapter);
      });
      search = new ArticleSearch({ db, adapter });
      expect(await ids(ws, 'okta')).toEqual([row.id]);
      expect(await ids(ws, 'administrater')).toEqual([row.id]);
    });
  });
}
