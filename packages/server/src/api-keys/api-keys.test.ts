import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { PASSWORD, addMember, call, createApiKey, login, setupOwner, type Session } from '../test-support/api-helpers.js';

for (const dialect of DIALECTS) {
  describe(`api keys [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let member: Session;
    let other: Session;

    const keysUrl = (s: Session) => `/api/v1/workspaces/${s.workspaceId}/api-keys`;
    const listKeys = async (s: Session) =>
      (await call(t.app, { method: 'GET', url: keysUrl(s), cookie: s.cookie })).body.apiKeys as Array<Record<string, unknown>>;
    const listUsers = (key: string) => call(t.app, { method: 'GET', url: '/server/v1/users', bearer: key });

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      member = await addMember(t, owner, 'member@example.com', 'member');
      // Setup runs once per server: the second workspace belongs to an account created directly.
      const account = await t.services.accounts.create({ email: 'other@example.com', password: PASSWORD });
      const cookie = await login(t, account.email);
      const ws = await call(t.app, { method: 'POST', url: '/api/v1/workspaces', cookie, payload: { name: 'Other Co' } });
      expect(ws.status).toBe(201);
      other = { cookie, accountId: account.id, workspaceId: ws.body.id, email: account.email, password: PASSWORD };
    });
    afterAll(async () => t?.close());

    it('shows a new key once; the list shows its prefix but never the key', async () => {
      const res = await call(t.app, { method: 'POST', url: keysUrl(owner), cookie: owner.cookie, payload: { name: 'backend' } });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name: 'backend', createdBy: owner.accountId, lastUsedAt: null, revokedAt: null });
      expect(res.body.key).toMatch(/^lk_/);
      expect(res.body.prefix).toBe(res.body.key.slice(0, 10));

      const list = await listKeys(owner);
      const listed = list.find((k) => k.id === res.body.id);
      expect(listed).toMatchObject({ name: 'backend', prefix: res.body.prefix });
      expect(listed).not.toHaveProperty('key');
      expect(JSON.stringify(list)).not.toContain(res.body.key);
    });

    it('authenticates server calls and records when a key was last used', async () => {
      const key = await createApiKey(t, owner);
      const res = await listUsers(key);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ users: [], nextCursor: null });
      const firstUse = t.clock.now();
      expect((await listKeys(owner)).find((k) => k.prefix === key.slice(0, 10))?.lastUsedAt).toBe(firstUse);

      t.clock.advance(5 * 60_000);
      expect((await listUsers(key)).status).toBe(200);
      expect((await listKeys(owner)).find((k) => k.prefix === key.slice(0, 10))?.lastUsedAt).toBe(t.clock.now());

      for (const bearer of [undefined, 'lk_made-up', `${key}x`]) {
        const refused = await call(t.app, { method: 'GET', url: '/server/v1/users', ...(bearer ? { bearer } : {}) });
        expect(refused.status).toBe(401);
        expect(refused.body.error.code).toBe('invalid_api_key');
      }
      // A dashboard cookie is not an API key.
      expect((await call(t.app, { method: 'GET', url: '/server/v1/users', cookie: owner.cookie })).status).toBe(401);
    });

    it('refuses a revoked key at once, and leaves other keys working', async () => {
      const revoked = await createApiKey(t, owner);
      const kept = await createApiKey(t, owner);
      expect((await listUsers(revoked)).status).toBe(200);
      const id = (await listKeys(owner)).find((k) => k.prefix === revoked.slice(0, 10))!.id as string;

      const del = await call(t.app, { method: 'DELETE', url: `${keysUrl(owner)}/${id}`, cookie: owner.cookie });
      expect(del.status).toBe(204);
      const refused = await listUsers(revoked);
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('invalid_api_key');
      expect((await listUsers(kept)).status).toBe(200);
      expect((await listKeys(owner)).find((k) => k.id === id)?.revokedAt).toBe(t.clock.now());
      expect((await call(t.app, { method: 'DELETE', url: `${keysUrl(owner)}/${id}`, cookie: owner.cookie })).status).toBe(404);
    });

    it('gives a member 403 on every api-key route', async () => {
      const key = await createApiKey(t, owner);
      const id = (await listKeys(owner)).find((k) => k.prefix === key.slice(0, 10))!.id as string;
      for (const request of [
        { method: 'GET' as const, url: keysUrl(owner) },
        { method: 'POST' as const, url: keysUrl(owner), payload: { name: 'sneaky' } },
        { method: 'DELETE' as const, url: `${keysUrl(owner)}/${id}` },
      ]) {
        const res = await call(t.app, { ...request, cookie: member.cookie });
        expect(res.status, `${request.method} ${request.url}`).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
      expect((await listUsers(key)).status).toBe(200);
      expect((await listKeys(owner)).some((k) => k.name === 'sneaky')).toBe(false);
    });

    it("never lets a key of one workspace read or change another workspace's users or keys", async () => {
      const keyA = await createApiKey(t, owner);
      const keyB = await createApiKey(t, other);
      const put = await call(t.app, {
        method: 'PUT',
        url: '/server/v1/users/alice',
        bearer: keyA,
        payload: { email: 'alice@example.com', properties: { plan: 'pro' } },
      });
      expect(put.status).toBe(200);

      expect((await listUsers(keyA)).body.users.map((u: { userId: string }) => u.userId)).toContain('alice');
      expect((await listUsers(keyB)).body.users).toEqual([]);
      for (const request of [
        { method: 'GET' as const, url: '/server/v1/users/alice' },
        { method: 'GET' as const, url: '/server/v1/users/alice/export' },
        { method: 'DELETE' as const, url: '/server/v1/users/alice' },
      ]) {
        const res = await call(t.app, { ...request, bearer: keyB });
        expect(res.status, `${request.method} ${request.url}`).toBe(404);
      }
      // Writing the same userId with B's key makes B's own user and leaves A's alone.
      await call(t.app, { method: 'PUT', url: '/server/v1/users/alice', bearer: keyB, payload: { email: 'someone-else@example.com' } });
      expect((await t.services.users.get(owner.workspaceId, 'alice'))?.email).toBe('alice@example.com');

      // Nor can B's owner see or revoke A's keys, by A's path or by B's.
      const idA = (await listKeys(owner)).find((k) => k.prefix === keyA.slice(0, 10))!.id as string;
      expect((await call(t.app, { method: 'GET', url: keysUrl(owner), cookie: other.cookie })).status).toBe(404);
      expect((await call(t.app, { method: 'DELETE', url: `${keysUrl(owner)}/${idA}`, cookie: other.cookie })).status).toBe(404);
      expect((await call(t.app, { method: 'DELETE', url: `${keysUrl(other)}/${idA}`, cookie: other.cookie })).status).toBe(404);
      expect((await listUsers(keyA)).status).toBe(200);
    });
  });
}
