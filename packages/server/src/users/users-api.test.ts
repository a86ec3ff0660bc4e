import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LumioClient, LumioApiError } from '@lumio/node';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { call, createApiKey, createWidget, identify, setupOwner, sign, startSession, type Session } from '../test-support/api-helpers.js';

for (const dialect of DIALECTS) {
  describe(`server API for host apps [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let key: string;
    let client: LumioClient;
    let baseUrl: string;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      key = await createApiKey(t, owner);
      // The typed client of @lumio/node, over a real socket.
      baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
      client = new LumioClient({ baseUrl, apiKey: key });
    });
    afterAll(async () => t?.close());

    it('upserts trusted profiles that browser claims cannot overwrite', async () => {
      const user = await client.users.upsert('cust/42 é', {
        name: 'Grace',
        email: 'grace@example.com',
        properties: { plan: 'enterprise', seats: 40 },
      });
      expect(user).toMatchObject({
        userId: 'cust/42 é',
        name: 'Grace',
        trust: 'identified',
        sources: { name: 'trusted', 'properties.plan': 'trusted' },
      });
      const w = await createWidget(t, owner);
      const s = await startSession(t, w.widgetId);
      await identify(t, w.widgetId, s.token, {
        userId: 'cust/42 é',
        signature: sign('cust/42 é', w.secret),
        name: 'Mallory',
        properties: { plan: 'free', theme: 'dark' },
      });
      const after = await client.users.get('cust/42 é');
      expect(after).toMatchObject({ name: 'Grace', trust: 'verified', properties: { plan: 'enterprise', seats: 40, theme: 'dark' } });
      // The server API can change a trusted value, and null removes it.
      const updated = await client.users.upsert('cust/42 é', { properties: { plan: 'pro', seats: null } });
      expect(updated.properties).toEqual({ plan: 'pro', theme: 'dark' });
    });

    it('changes and erasures through the server API are seen by the next repeat identify', async () => {
      // Identify answers an unchanged repeat from memory on SQLite; a write
      // through the server API in between must not be hidden by that copy.
      const w = await createWidget(t, owner);
      const s = await startSession(t, w.widgetId);
      const body = { userId: 'repeat-1', signature: sign('repeat-1', w.secret), name: 'Ada', properties: { plan: 'pro' } };
      expect((await identify(t, w.widgetId, s.token, body)).status).toBe(200);
      expect((await identify(t, w.widgetId, s.token, body)).status).toBe(200);
      await client.users.upsert('repeat-1', { properties: { plan: null } });
      await identify(t, w.widgetId, s.token, body);
      expect((await client.users.get('repeat-1')).properties).toEqual({ plan: 'pro' });
      await client.users.erase('repeat-1');
      const again = await identify(t, w.widgetId, s.token, body);
      expect(again.body).toMatchObject({ state: 'verified', linked: true });
      expect(await client.users.get('repeat-1')).toMatchObject({ name: 'Ada', properties: { plan: 'pro' }, trust: 'verified' });
      expect(await t.services.users.linkedUser(owner.workspaceId, s.anonymousId)).toEqual({ userId: 'repeat-1', trust: 'verified' });
    });

    it('validates like identify', async () => {
      await expect(client.users.upsert('u', { properties: { nested: { a: 1 } } as never })).rejects.toMatchObject({
        code: 'invalid_property',
        status: 400,
      });
      const res = await call(t.app, { method: 'PUT', url: '/server/v1/users/u', bearer: key, payload: { unknown: 1 } });
      expect(res.body.error.code).toBe('invalid_request');
      await expect(client.users.get('nobody')).rejects.toBeInstanceOf(LumioApiError);
    });

    it('lists users in pages', async () => {
      for (let i = 0; i < 25; i++) await client.users.upsert(`page-${String(i).padStart(2, '0')}`, { properties: { i } });
      const first = await client.users.list({ limit: 10 });
      expect(first.users).toHaveLength(10);
      expect(first.nextCursor).toBeTruthy();
      const all: string[] = [];
      for await (const user of client.users.iterate({ limit: 7 })) all.push(user.userId);
      expect(all.filter((id) => id.startsWith('page-'))).toHaveLength(25);
      expect(new Set(all).size).toBe(all.length);
    });

    it('exports everything stored about a user, then erases it all', async () => {
      const w = await createWidget(t, owner);
      const s = await startSession(t, w.widgetId);
      const identified = await identify(t, w.widgetId, s.token, {
        userId: 'gdpr',
        signature: sign('gdpr', w.secret),
        email: 'gdpr@example.com',
      });
      // What the user dismissed is theirs too.
      const news = await t.services.announcements.create(
        owner.workspaceId,
        { kind: 'banner', title: 'News', status: 'live' },
        { type: 'cli', id: null, ip: null },
      );
      const dismissed = await call(t.app, {
        method: 'POST',
        url: `/widget/v1/${w.widgetId}/announcements/${news.id}/events`,
        bearer: identified.body.token,
        payload: { type: 'dismissed' },
      });
      expect(dismissed.status).toBe(200);
      const exported = (await client.users.export('gdpr')) as {
        user: { email: string };
        anonymousIds: Array<{ anonymousId: string }>;
        identityLog: unknown[];
        announcements: Array<{ announcementId: string; verified: boolean; dismissedAt: number | null }>;
      };
      expect(exported.announcements).toEqual([
        expect.objectContaining({ announcementId: news.id, verified: true, dismissedAt: t.clock.now() }),
      ]);
      expect(exported.user.email).toBe('gdpr@example.com');
      expect(exported.anonymousIds.map((l) => l.anonymousId)).toEqual([s.anonymousId]);
      expect(exported.identityLog.length).toBe(1);

      const erased = await client.users.erase('gdpr');
      expect(erased).toMatchObject({ erased: true, anonymousIdsUnlinked: 1, identityLogEntriesDeleted: 1 });
      await expect(client.users.get('gdpr')).rejects.toMatchObject({ code: 'not_found' });
      expect(await t.services.users.linkedUser(owner.workspaceId, s.anonymousId)).toBeNull();
      expect((await t.services.announcements.stats(owner.workspaceId, news.id)).dismissed).toBe(0);
      const audit = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${owner.workspaceId}/audit-log`, cookie: owner.cookie });
      expect(audit.body.entries[0]).toMatchObject({ action: 'user.erase', actor: { type: 'api_key' } });
      expect(JSON.stringify(audit.body)).not.toContain('gdpr@example.com');
    });

    it('merges an old id into the one that stays with users.merge, which then resolves the old id', async () => {
      await client.users.upsert('merge-old', { email: 'old@example.com', properties: { plan: 'pro' } });
      await client.users.upsert(7001, { name: 'Stays' });
      const merged = await client.users.merge(7001, { from: 'merge-old' });
      expect(merged).toMatchObject({ merged: true, userId: '7001', from: 'merge-old', created: false });
      expect(merged.user).toMatchObject({ userId: '7001', name: 'Stays', email: 'old@example.com', properties: { plan: 'pro' } });
      // The old id now answers as the survivor; a retried merge changes nothing.
      expect((await client.users.get('merge-old')).userId).toBe('7001');
      expect(await client.users.merge('7001', { from: 'merge-old' })).toMatchObject({ merged: false, userId: '7001' });
      // The server's refusals reach the caller with their codes.
      await expect(client.users.merge('7001', { from: '7001' })).rejects.toMatchObject({ code: 'merge_same_user', status: 400 });
      await expect(client.users.merge('7001', { from: 'nobody-here' })).rejects.toMatchObject({ code: 'not_found', status: 404 });
      // A bad old id is refused before anything is sent.
      await expect(client.users.merge('7001', { from: '' })).rejects.toBeInstanceOf(TypeError);
    });

    it('refuses requests without a valid key', async () => {
      for (const bearer of [undefined, 'lk_wrong']) {
        const res = await call(t.app, { method: 'GET', url: '/server/v1/users', ...(bearer ? { bearer } : {}) });
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('invalid_api_key');
      }
    });
  });
}
