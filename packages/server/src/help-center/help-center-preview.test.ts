import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { addMember, call, setupOwner, workspaceApi, type Session } from '../test-support/api-helpers.js';

for (const dialect of DIALECTS) {
  describe(`help center article preview [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let member: Session;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      member = await addMember(t, owner, 'member@example.com', 'member');
    });
    afterAll(async () => t?.close());

    it('renders and sanitises a body exactly as a save would, storing nothing', async () => {
      const body = '# Title\n\nHello **world** <script>alert(1)</script><img src=x onerror="alert(2)">\n\n[docs](javascript:alert(3))';
      const preview = await workspaceApi(t, member)('POST', '/help/articles/preview', { body });
      expect(preview.status, JSON.stringify(preview.body)).toBe(200);
      expect(preview.body.html).toContain('<strong>world</strong>');
      expect(preview.body.html).not.toMatch(/script|onerror|javascript:/);
      const saved = await workspaceApi(t, member)('POST', '/help/articles', { title: 'Saved', body });
      expect(preview.body).toEqual({ html: saved.body.html, excerpt: saved.body.excerpt });
      const list = await workspaceApi(t, member)('GET', '/help/articles');
      expect(list.body.articles).toHaveLength(1);
    });

    it('is for members of the workspace only', async () => {
      const outsider = await call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${owner.workspaceId}/help/articles/preview`,
        payload: { body: 'x' },
      });
      expect(outsider.status).toBe(401);
      const bad = await workspaceApi(t, member)('POST', '/help/articles/preview', { body: 1 });
      expect(bad.body.error.code).toBe('invalid_request');
    });
  });
}
