import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { call, createApiKey, createWidget, setupOwner, type Session } from '../test-support/api-helpers.js';
import { GroupCommit } from '../db/group-commit.js';
import { IdentifyService } from '../identity/identify-service.js';
import type { WidgetRuntime } from '../widgets/widget-registry.js';
import { UserAliases } from './user-aliases.js';
import type { UsersStore } from './users-store.js';

for (const dialect of DIALECTS) {
  describe(`identify racing a merge [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let key: string;
    let widget: Awaited<ReturnType<typeof createWidget>>;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      key = await createApiKey(t, owner);
      widget = await createWidget(t, owner);
    });
    afterAll(async () => t?.close());

    it('re-resolves an identify whose read saw the old id before a merge committed: nothing is stored under the old id', async () => {
      const ws = owner.workspaceId;
      const put = (userId: string) => call(t.app, { method: 'PUT', url: `/server/v1/users/${userId}`, bearer: key, payload: {} });
      await put('race-old');
      await put('race-new');
      const anonymousId = 'anon_race_0000000001';
      // What identify read just before the merge committed: the old user's row.
      const stale = await t.services.users.readForIdentify(ws, 'race-old', anonymousId);
      expect(stale.row).toBeDefined();
      const merge = await call(t.app, {
        method: 'POST',
        url: '/server/v1/users/race-new/merge',
        bearer: key,
        payload: { from: 'race-old' },
      });
      expect(merge.status).toBe(200);

      // The real store, except that its first identify read answers what was read before the merge.
      let served = false;
      const users = Object.create(t.services.users) as UsersStore;
      users.readForIdentify = async (workspaceId, userId, anonymous) => {
        if (!served && userId === 'race-old') {
          served = true;
          return stale;
        }
        return t.services.users.readForIdentify(workspaceId, userId, anonymous);
      };
      const aliases = new UserAliases(t.deps);
      const writes = new GroupCommit(t.deps.db);
      const identify = new IdentifyService(
        t.deps,
        users,
        t.services.secrets,
        t.services.identityLog,
        t.services.sessionTokens,
        writes,
        null,
        aliases,
      );
      const runtime: WidgetRuntime = {
        id: widget.widgetId,
        workspaceId: ws,
        allowedOrigins: [],
        verificationMode: 'optional',
        appearance: {} as WidgetRuntime['appearance'],
        secrets: [],
      };
      const now = t.clock.now();
      const result = await identify.identify(
        runtime,
        { widgetId: widget.widgetId, workspaceId: ws, anonymousId, state: 'anonymous', issuedAt: now, expiresAt: now + 60_000 },
        { userId: 'race-old', traits: { name: 'Late' }, properties: {} },
        null,
      );
      expect(served).toBe(true);
      expect(result).toMatchObject({ state: 'identified', userId: 'race-new', linked: true });
      expect(await t.services.users.get(ws, 'race-old')).toBeNull();
      expect(await t.services.users.get(ws, 'race-new')).toMatchObject({ name: 'Late' });
      expect(await t.services.users.linkedUser(ws, anonymousId)).toEqual({ userId: 'race-new', trust: 'identified' });
    });
  });
}
