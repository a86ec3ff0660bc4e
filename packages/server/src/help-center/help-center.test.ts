import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import {
  addMember,
  call,
  createApiKey,
  createWidget,
  identify,
  setupOwner,
  sign,
  startSession,
  workspaceApi,
  type Session,
  importHelpCenter,
} from '../test-support/api-helpers.js';

for (const dialect of DIALECTS) {
  describe(`help center [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let member: Session;
    let widget: { widgetId: string; secret: string };
    let guides: { id: string };
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      member = await addMember(t, owner, 'writer@example.com', 'member');
      widget = await createWidget(t, owner);
      const api = workspaceApi(t, member);
      guides = (await api('POST', '/help/collections', { name: 'Getting started', description: 'First steps' })).body;
      const articles: Array<[string, Record<string, unknown>]> = [
        ['reset', { title: 'Reset your password', body: 'Open **Settings**, then *Security*.', position: 1 }],
        [
          'sso',
          { title: 'Single sign-on', body: 'SSO for enterprise plans.', audience: { condition: { plan: 'enterprise' } }, position: 2 },
        ],
        [
          'trusted',
          {
            title: 'Billing contacts',
            body: 'Trusted only.',
            audience: { condition: { plan: 'enterprise' }, properties: 'trusted' },
            position: 3,
          },
        ],
        ['draft', { title: 'Coming soon', body: 'Not yet.', status: 'draft', position: 4 }],
      ];
      for (const [key, body] of articles) {
        const res = await api('POST', '/help/articles', { status: 'published', collectionId: guides.id, ...body });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        ids[key] = res.body.id;
      }
      // The enterprise user's plan comes from the server API (trusted); another claims it from the browser.
      const key = await createApiKey(t, owner);
      await call(t.app, { method: 'PUT', url: '/server/v1/users/boss', bearer: key, payload: { properties: { plan: 'enterprise' } } });
    });
    afterAll(async () => t?.close());

    const sessionOf = async (userId: string | null, state: 'verified' | 'identified' | 'anonymous', properties: object = {}) => {
      const session = await startSession(t, widget.widgetId);
      if (!userId || state === 'anonymous') return session.token;
      const res = await identify(t, widget.widgetId, session.token, {
        userId,
        ...(state === 'verified' ? { signature: sign(userId, widget.secret) } : {}),
        properties,
      });
      expect(res.body.state).toBe(state);
      return res.body.token as string;
    };
    const get = (token: string, path: string) =>
      call(t.app, { method: 'GET', url: `/widget/v1/${widget.widgetId}/help/${path}`, bearer: token });
    const post = (token: string, path: string, payload?: object) =>
      call(t.app, { method: 'POST', url: `/widget/v1/${widget.widgetId}/help/${path}`, bearer: token, ...(payload ? { payload } : {}) });
    const titles = async (token: string, query = '') =>
      ((await get(token, `articles${query}`)).body.articles as Array<{ title: string }>).map((a) => a.title);

    it('renders article Markdown safely, derives slugs and excerpts, and audits every change', async () => {
      const api = workspaceApi(t, member);
      const res = await api('POST', '/help/articles', {
        title: 'Reset your password',
        body: '## Steps\n\n1. Go to [Settings](#article/settings)\n2. <img src=x onerror=alert(1)>Done <script>alert(1)</script>',
      });
      expect(res.body.slug).toBe('reset-your-password-2');
      expect(res.body.status).toBe('draft');
      expect(res.body.html).toContain('<h2>Steps</h2>');
      expect(res.body.html).toContain('<a href="#article/settings" rel="noopener noreferrer" target="_blank">Settings</a>');
      expect(res.body.html).not.toMatch(/onerror|<script|alert/);
      expect(res.body.excerpt).toBe('Steps Go to Settings Done');
      const taken = await api('PATCH', `/help/articles/${res.body.id}`, { slug: 'reset-your-password' });
      expect(taken.body.error).toMatchObject({ code: 'conflict', details: { field: 'slug' } });
      const badSlug = await api('PATCH', `/help/articles/${res.body.id}`, { slug: 'Not A Slug' });
      expect(badSlug.body.error.details.field).toBe('slug');
      const badAudience = await api('PATCH', `/help/articles/${res.body.id}`, {
        audience: { condition: { plan: { $regex: '(a+)+\\1' } } },
      });
      expect(badAudience.body.error.code).toBe('invalid_condition');
      await api('PATCH', `/help/articles/${res.body.id}`, { title: 'Reset it', excerpt: 'Custom' });
      await api('DELETE', `/help/articles/${res.body.id}`);
      const audit = await workspaceApi(t, owner)('GET', '/audit-log');
      const actions = audit.body.entries.filter((e: { target: { id: string } }) => e.target.id === res.body.id);
      expect(actions.map((e: { action: string }) => e.action).sort()).toEqual(['article.create', 'article.delete', 'article.update']);
      expect(actions.find((e: { action: string }) => e.action === 'article.update').details.changed).toEqual(['title', 'excerpt']);
    });

    it('shows published articles by their audience, in lists and direct links alike; drafts to nobody', async () => {
      const anonymous = await sessionOf(null, 'anonymous');
      const boss = await sessionOf('boss', 'verified');
      const claimant = await sessionOf('boss', 'identified');
      const selfDeclared = await sessionOf('self', 'verified', { plan: 'enterprise' });

      expect(await titles(anonymous)).toEqual(['Reset your password']);
      // Articles written for the reader's plan rank above the one for everyone (relevance: audience).
      expect(await titles(boss)).toEqual(['Single sign-on', 'Billing contacts', 'Reset your password']);
      expect(await titles(claimant)).toEqual(['Reset your password']);
      expect(await titles(selfDeclared)).toEqual(['Single sign-on', 'Reset your password']);
      expect(await titles(boss, `?collection=${guides.id}`)).toHaveLength(3);

      for (const ref of [ids.sso!, 'single-sign-on']) {
        expect((await get(anonymous, `articles/${ref}`)).status).toBe(404);
        expect((await get(claimant, `articles/${ref}`)).status).toBe(404);
        expect((await get(boss, `articles/${ref}`)).body.article).toMatchObject({ title: 'Single sign-on', helpful: null, saved: false });
      }
      expect((await get(selfDeclared, 'articles/billing-contacts')).status).toBe(404);
      for (const token of [anonymous, boss]) {
        expect((await get(token, `articles/${ids.draft}`)).status).toBe(404);
        expect((await get(token, 'articles/coming-soon')).status).toBe(404);
      }
      // An invisible article cannot be saved or rated either: the answer is the same as for none at all.
      expect((await post(anonymous, `articles/${ids.sso}/save`)).body.error.code).toBe('not_found');
      expect((await post(anonymous, `articles/${ids.sso}/feedback`, { helpful: true })).body.error.code).toBe('not_found');

      const collections = await get(anonymous, 'collections');
      expect(collections.body.collections).toEqual([
        { id: guides.id, name: 'Getting started', slug: 'getting-started', description: 'First steps', articleCount: 1 },
      ]);
      expect((await get(boss, 'collections')).body.collections[0].articleCount).toBe(3);
    });

    it('searches only what the session may read: audience and published state apply to search as to lists', async () => {
      const anonymous = await sessionOf(null, 'anonymous');
      const boss = await sessionOf('boss', 'verified');
      const search = async (token: string, query: string) =>
        (await get(token, `articles?query=${encodeURIComponent(query)}`)).body.articles as Array<{ title: string; snippet: string }>;
      expect((await search(boss, 'enterprise')).map((a) => a.title)).toEqual(['Single sign-on']);
      expect(await search(anonymous, 'enterprise')).toEqual([]);
      expect(await search(anonymous, 'sso')).toEqual([]);
      // A draft's words find nothing, for anyone.
      expect(await search(boss, 'soon')).toEqual([]);
      const found = await search(anonymous, 'setings');
      expect(found.map((a) => a.title)).toEqual(['Reset your password']);
      expect(found[0]!.snippet).toContain('<mark>Settings</mark>');
    });

    it('keeps saved articles per viewer: the verified user on every device, unverified and anonymous sessions apart', async () => {
      const laptop = await sessionOf('saver', 'verified');
      expect((await post(laptop, `articles/${ids.reset}/save`)).body).toEqual({ ok: true, saved: true });
      expect((await post(laptop, `articles/${ids.reset}/save`)).body).toEqual({ ok: true, saved: true });
      const phone = await sessionOf('saver', 'verified');
      expect(await titles(phone, '?saved=true')).toEqual(['Reset your password']);
      expect((await get(phone, `articles/${ids.reset}`)).body.article.saved).toBe(true);

      const claimant = await sessionOf('saver', 'identified');
      expect(await titles(claimant, '?saved=true')).toEqual([]);
      await post(claimant, `articles/${ids.reset}/save`);
      const anonymous = await sessionOf(null, 'anonymous');
      expect(await titles(anonymous, '?saved=true')).toEqual([]);
      const other = await sessionOf('someone-else', 'verified');
      expect(await titles(other, '?saved=true')).toEqual([]);

      // Unsaving on one device is seen on the other; the claimant's own list is untouched.
      expect((await post(phone, `articles/${ids.reset}/unsave`)).body).toEqual({ ok: true, saved: false });
      expect(await titles(laptop, '?saved=true')).toEqual([]);
      expect(await titles(claimant, '?saved=true')).toEqual(['Reset your password']);
    });

    it("merges what a browser saved while anonymous into the user's list when it identifies verified, not when unverified", async () => {
      const browser = await startSession(t, widget.widgetId);
      await post(browser.token, `articles/${ids.reset}/save`);
      const unverified = await identify(t, widget.widgetId, browser.token, { userId: 'merger' });
      expect(await titles(unverified.body.token, '?saved=true')).toEqual([]);
      const browser2 = await startSession(t, widget.widgetId);
      await post(browser2.token, `articles/${ids.reset}/save`);
      const verified = await identify(t, widget.widgetId, browser2.token, { userId: 'merger', signature: sign('merger', widget.secret) });
      expect(await titles(verified.body.token, '?saved=true')).toEqual(['Reset your password']);
      expect(await titles(await sessionOf('merger', 'verified'), '?saved=true')).toEqual(['Reset your password']);
    });

    it('records "Was this helpful?" per viewer, the latest answer counting', async () => {
      const reader = await sessionOf('rater', 'verified');
      expect((await post(reader, `articles/${ids.reset}/feedback`, { helpful: false })).body).toEqual({ ok: true });
      expect((await post(reader, `articles/${ids.reset}/feedback`, { helpful: true })).body).toEqual({ ok: true });
      expect((await get(reader, `articles/${ids.reset}`)).body.article.helpful).toBe(true);
      expect((await post(reader, `articles/${ids.reset}/feedback`, { helpful: 'yes' })).body.error.code).toBe('invalid_request');
    });

    it('exports the help center as Markdown files with front matter and imports them back, all or nothing', async () => {
      const api = workspaceApi(t, member);
      const exported = (await api('GET', '/help/export')).body.files as Array<{ path: string; content: string }>;
      const sso = exported.find((f) => f.path === 'getting-started/single-sign-on.md')!;
      expect(sso.content).toContain('title: Single sign-on');
      expect(sso.content).toContain('plan: enterprise');
      expect(exported.find((f) => f.path === 'getting-started/_collection.md')!.content).toContain('name: Getting started');

      // A bad file anywhere: nothing is imported, and the answer names the file.
      const edited = exported.map((f) =>
        f.path === sso.path ? { ...f, content: f.content.replace('SSO for enterprise', 'SAML SSO for enterprise') } : f,
      );
      const newFile = { path: 'billing/refunds.md', content: '---\ntitle: Refunds\nstatus: published\n---\n\nWithin **30 days**.\n' };
      const bad = { path: 'billing/broken.md', content: '---\ntitle: [unclosed\n---\nx' };
      const refused = await api('POST', '/help/import', { files: [...edited, newFile, bad] });
      expect(refused.status).toBe(400);
      expect(refused.body.error.details.errors).toEqual([
        { path: 'billing/broken.md', message: expect.stringContaining('not valid YAML') },
      ]);
      const badAudience = { path: 'billing/vip.md', content: '---\ntitle: VIP\naudience:\n  condition: { plan: { $where: x } }\n---\n' };
      // Found only when saving: the job fails with the error a save answers, and nothing is saved.
      const refusedAudience = await importHelpCenter(api, [newFile, badAudience]);
      expect(refusedAudience.body.status).toBe('failed');
      expect(refusedAudience.body.error).toMatchObject({ code: 'invalid_condition', details: { path: 'billing/vip.md' } });
      expect((await api('GET', '/help/articles')).body.articles.map((a: { slug: string }) => a.slug)).not.toContain('refunds');

      const imported = await importHelpCenter(api, [...edited, newFile]);
      const articleFiles = [...edited, newFile].filter((f) => !f.path.endsWith('/_collection.md')).length;
      expect(imported.body).toMatchObject({ status: 'succeeded', progress: { rendered: articleFiles, total: articleFiles } });
      expect(imported.body.result).toEqual({
        collections: { created: 1, updated: 1 },
        articles: { created: 1, updated: exported.length - 1 },
      });
      const listed = (await api('GET', '/help/articles')).body.articles.find((a: { slug: string }) => a.slug === 'refunds');
      const refunds = (await api('GET', `/help/articles/${listed.id}`)).body;
      expect(refunds).toMatchObject({ title: 'Refunds', status: 'published', html: '<p>Within <strong>30 days</strong>.</p>' });
      const anonymous = await sessionOf(null, 'anonymous');
      expect((await get(anonymous, 'articles/refunds')).body.article.title).toBe('Refunds');
      const boss = await sessionOf('boss', 'verified');
      expect((await get(boss, 'articles/single-sign-on')).body.article.html).toContain('SAML SSO');
      // Search follows the import too.
      expect(((await get(boss, 'articles?query=saml')).body.articles as Array<{ title: string }>).map((a) => a.title)).toEqual([
        'Single sign-on',
      ]);
    });

    it('follows a segment edit and a plan change at once', async () => {
      const api = workspaceApi(t, member);
      const segment = (await api('POST', '/segments', { name: 'Pro users', condition: { plan: 'pro' } })).body;
      await api('POST', '/help/articles', {
        title: 'Pro tips',
        status: 'published',
        audience: { condition: { $segment: segment.id } },
      });
      const user = await sessionOf('switcher', 'verified', { plan: 'pro' });
      expect(await titles(user)).toContain('Pro tips');
      await api('PATCH', `/segments/${segment.id}`, { condition: { plan: 'team' } });
      expect(await titles(user)).not.toContain('Pro tips');
      const again = await identify(t, widget.widgetId, user, {
        userId: 'switcher',
        signature: sign('switcher', widget.secret),
        properties: { plan: 'team' },
      });
      expect(await titles(again.body.token)).toContain('Pro tips');
    });
  });
}
