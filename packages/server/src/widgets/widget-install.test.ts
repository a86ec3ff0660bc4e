import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { addMember, call, createWidget, setupOwner, type Session, otherWorkspaceOwner } from '../test-support/api-helpers.js';

for (const dialect of DIALECTS) {
  describe(`widget install snippet [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let member: Session;
    let other: Session;

    beforeAll(async () => {
      t = await createTestApp(dialect, { config: { publicUrl: 'https://lumio.example.com' } });
      owner = await setupOwner(t);
      member = await addMember(t, owner, 'member@example.com', 'member');
      // Another account with a workspace of its own.
      other = await otherWorkspaceOwner(t);
    });
    afterAll(async () => t?.close());

    const installUrl = (workspaceId: string, widgetId: string) => `/api/v1/workspaces/${workspaceId}/widgets/${widgetId}/install`;

    it('gives members the snippet with the widget id and this server’s public origin filled in, and never the secret', async () => {
      const widget = await createWidget(t, owner);
      const res = await call(t.app, { method: 'GET', url: installUrl(owner.workspaceId, widget.widgetId), cookie: member.cookie });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(['snippet']);
      const snippet = res.body.snippet as string;
      expect(snippet.startsWith('<script>')).toBe(true);
      expect(snippet.endsWith('</script>')).toBe(true);
      expect(snippet).toContain(`LumioWidget('init', { widgetId: "${widget.widgetId}" });`);
      expect(snippet).toContain('"https://lumio.example.com"');
      expect(snippet).not.toContain('__LUMIO_BASE__');
      expect(snippet).not.toContain(widget.secret);
    });

    it('answers 404 for a widget of another workspace, through either workspace id', async () => {
      const foreign = await createWidget(t, other);
      const viaOwn = await call(t.app, { method: 'GET', url: installUrl(owner.workspaceId, foreign.widgetId), cookie: owner.cookie });
      expect(viaOwn.status).toBe(404);
      expect(viaOwn.body.error.code).toBe('not_found');
      const viaTheirs = await call(t.app, { method: 'GET', url: installUrl(other.workspaceId, foreign.widgetId), cookie: owner.cookie });
      expect(viaTheirs.status).toBe(404);
    });

    it('needs a session', async () => {
      const widget = await createWidget(t, owner);
      const res = await call(t.app, { method: 'GET', url: installUrl(owner.workspaceId, widget.widgetId) });
      expect(res.status).toBe(401);
    });
  });
}
