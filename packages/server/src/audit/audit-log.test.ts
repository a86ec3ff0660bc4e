import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryView } from '@lumio/protocol';
import { AuditLog } from './audit-log.js';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import {
  addMember,
  call,
  createWidget,
  login,
  otherWorkspaceOwner,
  setupOwner,
  workspaceApi,
  type Session,
} from '../test-support/api-helpers.js';

const HOUR = 3_600_000;

for (const dialect of DIALECTS) {
  describe(`audit log: names and filters [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let admin: Session;
    let other: Session;
    let ownerApi: ReturnType<typeof workspaceApi>;
    let adminApi: ReturnType<typeof workspaceApi>;
    let ids: { widget: string; segment: string; deletedSegment: string; announcement: string; article: string; apiKey: string };
    let otherWidget: string;
    let start: number;

    const log = async (query = '', as: Session = owner): Promise<AuditEntryView[]> => {
      const res = await workspaceApi(t, as)('GET', `/audit-log${query}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.entries;
    };

    beforeAll(async () => {
      t = await createTestApp(dialect);
      start = t.clock.now();
      owner = await setupOwner(t);
      admin = await addMember(t, owner, 'admin@example.com', 'admin');
      ownerApi = workspaceApi(t, owner);
      adminApi = workspaceApi(t, admin);
      t.clock.advance(HOUR);
      const widget = await createWidget(t, owner, { name: 'Checkout widget' });
      const segment = await ownerApi('POST', '/segments', { name: 'Pro plans', condition: { plan: 'pro' } });
      const gone = await ownerApi('POST', '/segments', { name: 'Old trial users', condition: { plan: 'trial' } });
      t.clock.advance(24 * HOUR);
      // A day later the sessions have expired: sign in again.
      owner = { ...owner, cookie: await login(t, owner.email) };
      admin = { ...admin, cookie: await login(t, admin.email) };
      ownerApi = workspaceApi(t, owner);
      adminApi = workspaceApi(t, admin);
      // The admin acts a day later: the date and actor filters tell these apart.
      const announcement = await adminApi('POST', '/announcements', { kind: 'post', title: 'Dark mode is here', body: 'b' });
      const article = await adminApi('POST', '/help/articles', { title: 'Resetting your password', body: 'b' });
      const apiKey = await adminApi('POST', '/api-keys', { name: 'Billing backend' });
      await adminApi('PATCH', `/widgets/${widget.widgetId}`, { name: 'Checkout (renamed)' });
      expect((await adminApi('DELETE', `/segments/${gone.body.id}`)).status).toBe(204);
      ids = {
        widget: widget.widgetId,
        segment: segment.body.id,
        deletedSegment: gone.body.id,
        announcement: announcement.body.id,
        article: article.body.id,
        apiKey: apiKey.body.id,
      };
      other = await otherWorkspaceOwner(t);
      otherWidget = (await createWidget(t, other, { name: 'Secret rival widget' })).widgetId;
    });
    afterAll(async () => t?.close());

    it('names what each entry touched and who did it, by current name; a deleted thing by the name it had', async () => {
      const entries = await log();
      const find = (action: string, id: string) => entries.find((e) => e.action === action && e.target.id === id)!;
      // Renamed after creation: the entry shows the widget's name now.
      expect(find('widget.create', ids.widget).target).toEqual({
        type: 'widget',
        id: ids.widget,
        name: 'Checkout (renamed)',
        deleted: false,
      });
      expect(find('widget.create', ids.widget).actor).toMatchObject({
        type: 'account',
        id: owner.accountId,
        name: expect.stringContaining(`(${owner.email})`),
      });
      expect(find('segment.create', ids.segment).target.name).toBe('Pro plans');
      expect(find('segment.delete', ids.deletedSegment).target).toEqual({
        type: 'segment',
        id: ids.deletedSegment,
        name: null,
        deleted: true,
      });
      // The creation recorded the name, so even gone the segment is recognisable.
      expect(find('segment.create', ids.deletedSegment).target).toMatchObject({ name: 'Old trial users', deleted: true });
      expect(find('announcement.create', ids.announcement).target.name).toBe('Dark mode is here');
      expect(find('article.create', ids.article).target.name).toBe('Resetting your password');
      expect(find('api_key.create', ids.apiKey).target.name).toBe('Billing backend');
      expect(find('announcement.create', ids.announcement).actor.name).toBe(`admin (${admin.email})`);
      const joined = entries.find((e) => e.action === 'member.join')!;
      expect(joined.target).toMatchObject({ type: 'account', id: admin.accountId, name: `admin (${admin.email})`, deleted: false });
      expect(entries.find((e) => e.action === 'workspace.create')!.target.name).toBe('Acme');
    });

    it("never names an id of another workspace with that workspace's name", async () => {
      const audit = new AuditLog(t.deps);
      // An entry of this workspace pointing at the other workspace's widget (no route writes one; the lookup must still hold).
      await audit.record(owner.workspaceId, { type: 'system', id: null, ip: null }, 'widget.delete', { type: 'widget', id: otherWidget });
      await audit.record(owner.workspaceId, { type: 'system', id: null, ip: null }, 'workspace.settings.update', {
        type: 'workspace',
        id: other.workspaceId,
      });
      const entries = await log('?limit=2');
      expect(entries.map((e) => e.target)).toEqual([
        { type: 'workspace', id: other.workspaceId, name: null, deleted: true },
        { type: 'widget', id: otherWidget, name: null, deleted: true },
      ]);
      expect(JSON.stringify(entries)).not.toContain('Secret rival widget');
      expect(JSON.stringify(entries)).not.toContain('Other');
    });

    it('filters by actor, by action and by date range, and pages within the filter', async () => {
      const byAdmin = await log(`?actor=${admin.accountId}`);
      expect(byAdmin.length).toBeGreaterThanOrEqual(5);
      expect(byAdmin.every((e) => e.actor.id === admin.accountId)).toBe(true);
      const creates = await log('?action=segment.create');
      expect(creates.map((e) => e.target.id)).toEqual([ids.deletedSegment, ids.segment]);
      // Only the first hour after setup: the owner's widget and segments, none of the admin's work a day later.
      const early = await log(`?from=${start + HOUR}&to=${start + 2 * HOUR}`);
      expect(early.map((e) => e.action).sort()).toEqual(['segment.create', 'segment.create', 'widget.create']);
      expect(early.some((e) => e.actor.id === admin.accountId)).toBe(false);
      // ISO dates: a date alone as `to` takes in that whole (UTC) day.
      const day = new Date(start + 25 * HOUR).toISOString().slice(0, 10);
      const thatDay = await log(`?from=${day}&to=${day}`);
      expect(thatDay.some((e) => e.action === 'announcement.create')).toBe(true);
      expect(thatDay.some((e) => e.action === 'segment.create')).toBe(false);
      // Filters combine, and paging keeps them.
      const first = await workspaceApi(t, owner)('GET', `/audit-log?actor=${admin.accountId}&limit=2`);
      expect(first.body.entries).toHaveLength(2);
      const next = await workspaceApi(t, owner)('GET', `/audit-log?actor=${admin.accountId}&limit=2&before=${first.body.nextBefore}`);
      expect(next.body.entries.every((e: AuditEntryView) => e.actor.id === admin.accountId)).toBe(true);
      expect(next.body.entries[0].id).toBeLessThan(first.body.entries[1].id);
      const none = await log(`?actor=${admin.accountId}&action=workspace.create`);
      expect(none).toEqual([]);
    });

    it("cannot see another workspace's entries or actors through the actor filter", async () => {
      // The other owner has entries in their own workspace; here they match nothing, like an id that never existed.
      expect(await log(`?actor=${other.accountId}`)).toEqual([]);
      expect(await log('?actor=acc_never_existed')).toEqual([]);
      const theirs = await log(`?actor=${owner.accountId}`, other);
      expect(theirs).toEqual([]);
    });

    it('refuses bad filters with stable codes', async () => {
      const bad = async (query: string) => (await ownerApi('GET', `/audit-log${query}`)).body.error;
      expect(await bad('?from=yesterday')).toMatchObject({ code: 'invalid_date', details: { field: 'from' } });
      expect(await bad('?to=2026-02-30')).toMatchObject({ code: 'invalid_date', details: { field: 'to' } });
      expect(await bad('?from=2026-12-01T10:00')).toMatchObject({ code: 'invalid_date', details: { field: 'from' } });
      expect(await bad('?from=2026-12-02&to=2026-12-01')).toMatchObject({ code: 'invalid_date_range' });
      expect(await bad('?action=widget.explode')).toMatchObject({ code: 'unknown_audit_action', details: { field: 'action' } });
      expect(await bad(`?actor=${'x'.repeat(65)}`)).toMatchObject({ code: 'invalid_request', details: { field: 'actor' } });
      expect((await ownerApi('GET', '/audit-log?from=2026-12-01T10:00:00Z&to=2026-12-01T10:00:00%2B02:00')).status).toBe(400);
      expect((await ownerApi('GET', '/audit-log?from=2026-11-01T10:00:00Z&to=2026-12-01')).status).toBe(200);
    });

    it('keeps the audit log from members', async () => {
      const member = await addMember(t, owner, 'member@example.com', 'member');
      const res = await call(t.app, {
        method: 'GET',
        url: `/api/v1/workspaces/${owner.workspaceId}/audit-log?action=widget.create`,
        cookie: member.cookie,
      });
      expect(res.status).toBe(403);
    });
  });
}
