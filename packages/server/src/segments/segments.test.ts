import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { addMember, call, workspaceApi, createApiKey, setupOwner, type Session } from '../test-support/api-helpers.js';

for (const dialect of DIALECTS) {
  describe(`segments [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let member: Session;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      member = await addMember(t, owner, 'member@example.com', 'member');
      const key = await createApiKey(t, owner);
      const users: Array<[string, Record<string, unknown>, string?]> = [
        ['u1', { plan: 'free', role: 'admin', seats: 3 }],
        ['u2', { plan: 'free', role: 'member', seats: 40 }],
        ['u3', { plan: 'pro', role: 'owner', seats: 12 }],
        ['u4', { plan: 'free', role: 'owner', seats: 7 }],
      ];
      for (const [userId, properties] of users) {
        const res = await call(t.app, { method: 'PUT', url: `/server/v1/users/${userId}`, bearer: key, payload: { properties } });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      }
    });
    afterAll(async () => t?.close());

    const api = (s: Session, method: string, path: string, payload?: unknown) => workspaceApi(t, s)(method, path, payload);

    it('saves a segment with a plain-words summary, and counts its audience in SQL with a sample', async () => {
      const res = await api(member, 'POST', '/segments', {
        name: 'Free admins',
        condition: { plan: 'free', role: { $in: ['admin', 'owner'] } },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ name: 'Free admins', summary: 'plan is free and role is admin or owner' });
      expect(res.body.id).toMatch(/^seg_/);
      const audience = await api(member, 'GET', `/segments/${res.body.id}/audience`);
      expect(audience.body.count).toBe(2);
      expect(audience.body.sample.map((u: { userId: string }) => u.userId).sort()).toEqual(['u1', 'u4']);
      expect((await api(member, 'GET', '/segments')).body.segments.map((s: { name: string }) => s.name)).toContain('Free admins');
    });

    it('uses segments inside conditions, and refuses cycles and unknown segments', async () => {
      const base = (await api(member, 'POST', '/segments', { name: 'Free', condition: { plan: 'free' } })).body;
      const nested = await api(member, 'POST', '/segments', { name: 'Big free', condition: { $segment: base.id, seats: { $gte: 5 } } });
      expect(nested.status).toBe(201);
      expect(nested.body.summary).toBe('in segment Free and seats is at least 5');
      expect((await api(member, 'GET', `/segments/${nested.body.id}/audience`)).body.count).toBe(2);

      const cycle = await api(member, 'PATCH', `/segments/${base.id}`, { condition: { $segment: nested.body.id } });
      expect(cycle.status).toBe(400);
      expect(cycle.body.error.code).toBe('invalid_condition');
      expect(cycle.body.error.details.issues[0].code).toBe('segment_cycle');
      const self = await api(member, 'PATCH', `/segments/${base.id}`, { condition: { $or: [{ $segment: base.id }] } });
      expect(self.body.error.details.issues[0].code).toBe('segment_cycle');
      const unknown = await api(member, 'POST', '/segments', { name: 'Ghost', condition: { $segment: 'seg_nothere' } });
      expect(unknown.body.error.details.issues[0].code).toBe('unknown_segment');
      // Nothing changed.
      expect((await api(member, 'GET', `/segments/${base.id}`)).body.condition).toEqual({ plan: 'free' });

      // In use by another segment: not deleted.
      const del = await api(member, 'DELETE', `/segments/${base.id}`);
      expect(del.status).toBe(409);
      expect(del.body.error.details.usedBy).toEqual([{ type: 'segment', id: nested.body.id, name: 'Big free' }]);
      expect((await api(member, 'DELETE', `/segments/${nested.body.id}`)).status).toBe(204);
      expect((await api(member, 'DELETE', `/segments/${base.id}`)).status).toBe(204);
    });

    it('previews the audience of an unsaved condition, and reports where a bad one is wrong', async () => {
      const preview = await api(member, 'POST', '/segments/preview', { condition: { seats: { $gte: 10 } } });
      expect(preview.body.count).toBe(2);
      const bad = await api(member, 'POST', '/segments/preview', { condition: { seats: { $gte: [1] } } });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({ code: 'invalid_condition' });
      expect(bad.body.error.details.issues[0].path).toBe('seats.$gte');
      // Only trusted values: these users' properties came from the server API, so they count.
      const trusted = await api(member, 'POST', '/segments/preview', { condition: { plan: 'pro' }, properties: 'trusted' });
      expect(trusted.body.count).toBe(1);
    });

    it('keeps names unique per workspace and records every change in the audit log', async () => {
      const a = await api(member, 'POST', '/segments', { name: 'Pro', condition: { plan: 'pro' } });
      expect((await api(member, 'POST', '/segments', { name: 'pro', condition: {} })).body.error.code).toBe('conflict');
      await api(member, 'PATCH', `/segments/${a.body.id}`, { name: 'Pro plan', description: 'Paying' });
      await api(member, 'DELETE', `/segments/${a.body.id}`);
      const audit = await api(owner, 'GET', '/audit-log');
      const actions = audit.body.entries
        .filter((e: { target: { id: string } }) => e.target.id === a.body.id)
        .map((e: { action: string }) => e.action);
      expect(actions.sort()).toEqual(['segment.create', 'segment.delete', 'segment.update']);
    });
  });
}
