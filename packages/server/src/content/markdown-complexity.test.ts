import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { call, importHelpCenter, otherWorkspaceOwner, setupOwner, workspaceApi, type Session } from '../test-support/api-helpers.js';
import { WORST_CASES } from '../test-support/markdown-worst-cases.js';

// Every path that renders Markdown, through the app: a document that takes
// seconds (minutes on the old in-process renderer) is refused with
// content_too_complex and nothing is saved, while the server keeps answering.
for (const dialect of DIALECTS) {
  describe(`Markdown too complex to render [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let other: Session;

    beforeAll(async () => {
      t = await createTestApp(dialect, { config: { markdown: { budgetMs: 400 } } });
      owner = await setupOwner(t);
      other = await otherWorkspaceOwner(t);
    });
    afterAll(async () => t?.close());

    it('refuses 4 concurrent worst-case previews while /healthz answers and the event loop never stalls', async () => {
      const api = workspaceApi(t, owner);
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      const previews = Promise.all([1, 2, 3, 4].map(() => api('POST', '/help/articles/preview', { body: WORST_CASES.underStar })));
      let health = 0;
      const healthTimes: number[] = [];
      const probing = (async () => {
        while (health < 20) {
          const started = performance.now();
          expect((await call(t.app, { method: 'GET', url: '/healthz' })).status).toBe(200);
          healthTimes.push(performance.now() - started);
          health++;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      const answers = await previews;
      await probing;
      delay.disable();
      for (const answer of answers) {
        expect(answer.status).toBe(422);
        expect(answer.body.error).toMatchObject({ code: 'content_too_complex', details: { document: 'the article preview' } });
      }
      // Generous bounds: the old renderer blocked the loop for minutes on these.
      expect(delay.max / 1e6).toBeLessThan(200);
      expect(Math.max(...healthTimes)).toBeLessThan(200);
    });

    it('saves nothing when an article or announcement is refused, and names it', async () => {
      const api = workspaceApi(t, owner);
      const article = await api('POST', '/help/articles', { title: 'Slow', body: WORST_CASES.underStar });
      expect(article.status).toBe(422);
      expect(article.body.error).toMatchObject({ code: 'content_too_complex', details: { document: 'article "Slow"' } });
      const deep = await api('POST', '/help/articles', { title: 'Deep', body: WORST_CASES.quotes });
      expect(deep.body.error.code).toBe('content_too_complex');
      expect((await api('GET', '/help/articles')).body.articles).toEqual([]);

      const saved = await api('POST', '/help/articles', { title: 'Fine', body: 'fine' });
      const patched = await api('PATCH', `/help/articles/${saved.body.id}`, { body: WORST_CASES.underStar });
      expect(patched.body.error.code).toBe('content_too_complex');
      expect((await api('GET', `/help/articles/${saved.body.id}`)).body.body).toBe('fine');

      const announcement = await api('POST', '/announcements', {
        kind: 'popup',
        title: 'Slow news',
        body: WORST_CASES.underStar.slice(0, 19_998),
      });
      expect(announcement.body.error).toMatchObject({ code: 'content_too_complex', details: { document: 'announcement "Slow news"' } });
      expect((await api('GET', '/announcements')).body.announcements).toEqual([]);
      const preview = await api('POST', '/announcements/preview', { body: WORST_CASES.quotes.slice(0, 19_998) });
      expect(preview.body.error.code).toBe('content_too_complex');
      await api('DELETE', `/help/articles/${saved.body.id}`);
    });

    it('runs an import as a job: progress, the refused file named, nothing saved; other workspaces cannot see it', async () => {
      const api = workspaceApi(t, owner);
      const good = { path: 'guides/fine.md', content: '---\ntitle: Fine\n---\n\n**ok**' };
      const slow = { path: 'guides/slow.md', content: `---\ntitle: Slow\n---\n\n${WORST_CASES.underStar}` };
      const running = await api('POST', '/help/import', { files: [good, slow] });
      expect(running.body).toMatchObject({ status: 'running', progress: { rendered: 0 } });
      // One import at a time per workspace: a second is refused while the first renders.
      const second = await api('POST', '/help/import', { files: [good] });
      expect(second.status).toBe(409);
      expect(second.body.error).toMatchObject({ code: 'conflict', details: { jobId: running.body.jobId } });
      await t.services.helpImports.settled();
      const failed = await api('GET', `/help/import/${running.body.jobId}`);
      expect(failed.body).toMatchObject({
        status: 'failed',
        result: null,
        error: { code: 'content_too_complex', details: { path: 'guides/slow.md', document: 'guides/slow.md ("Slow")' } },
      });
      expect((await api('GET', '/help/articles')).body.articles).toEqual([]);
      expect((await api('GET', '/help/collections')).body.collections).toEqual([]);

      const done = await importHelpCenter(api, [good]);
      expect(done.body).toMatchObject({
        status: 'succeeded',
        progress: { rendered: 1, total: 1 },
        result: { collections: { created: 1, updated: 0 }, articles: { created: 1, updated: 0 } },
        error: null,
      });
      const foreign = await workspaceApi(t, other)('GET', `/help/import/${done.body.jobId}`);
      expect(foreign.status).toBe(404);
      expect((await api('GET', '/help/import/imp_unknown')).status).toBe(404);
    });
  });
}
