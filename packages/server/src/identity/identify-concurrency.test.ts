import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { call, createWidget, identify, setupOwner, sign, startSession, type Session } from '../test-support/api-helpers.js';

// Identifies arriving together share a group transaction; on PostgreSQL its
// jobs run side by side with shared statements (db/batched-query.ts). What
// each request stores and answers must be what it would be alone.
for (const dialect of DIALECTS) {
  describe(`identify under concurrency [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let widget: { widgetId: string; keyId: string; secret: string };
    let sequence = 0;
    const eventId = () => `evt_conc_${(sequence++).toString(36).padStart(6, '0')}`;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      widget = await createWidget(t, owner);
    });
    afterAll(async () => t?.close());

    it('creates, links and credits every new user of a burst, each with its own browser activity', async () => {
      const browsers = await Promise.all(Array.from({ length: 40 }, () => startSession(t, widget.widgetId)));
      // Half the browsers did something while anonymous: it must become their user's, and only theirs.
      await Promise.all(
        browsers.slice(0, 20).map((s, i) =>
          call(t.app, {
            method: 'POST',
            url: `/widget/v1/${widget.widgetId}/events`,
            bearer: s.token,
            payload: { events: [{ id: eventId(), name: `before_login_${i}`, at: t.clock.now() }] },
          }),
        ),
      );
      const answers = await Promise.all(
        browsers.map((s, i) =>
          identify(t, widget.widgetId, s.token, {
            userId: `burst_${i}`,
            signature: sign(`burst_${i}`, widget.secret),
            properties: { plan: i % 2 === 0 ? 'pro' : 'free', seat: i },
          }),
        ),
      );
      answers.forEach((res, i) => {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body).toMatchObject({ state: 'verified', userId: `burst_${i}`, linked: true });
      });
      for (let i = 0; i < browsers.length; i++) {
        const user = await t.services.users.get(owner.workspaceId, `burst_${i}`);
        expect(user).toMatchObject({ trust: 'verified', properties: { plan: i % 2 === 0 ? 'pro' : 'free', seat: i } });
        expect(await t.services.users.links(owner.workspaceId, `burst_${i}`)).toEqual([
          expect.objectContaining({ anonymousId: browsers[i]!.anonymousId, trust: 'verified' }),
        ]);
      }
      const events = await t.adapter.db
        .selectFrom('events')
        .select(['name', 'user_id'])
        .where('workspace_id', '=', owner.workspaceId)
        .where('name', 'like', 'before_login_%')
        .execute();
      expect(events).toHaveLength(20);
      for (const event of events) expect(event.user_id).toBe(`burst_${event.name.slice('before_login_'.length)}`);
    });

    it('loses no update when one user is identified from many browsers at once', async () => {
      // Without the group commit's conflict keys these ran side by side on one row: the last write won.
      const browsers = await Promise.all(Array.from({ length: 12 }, () => startSession(t, widget.widgetId)));
      const answers = await Promise.all(
        browsers.map((s, i) =>
          identify(t, widget.widgetId, s.token, {
            userId: 'shared_user',
            signature: sign('shared_user', widget.secret),
            properties: { [`key_${i}`]: i },
          }),
        ),
      );
      for (const res of answers) expect(res.status, JSON.stringify(res.body)).toBe(200);
      const user = await t.services.users.get(owner.workspaceId, 'shared_user');
      expect(user?.properties).toEqual(Object.fromEntries(browsers.map((_, i) => [`key_${i}`, i])));
      expect(await t.services.users.linkCount(owner.workspaceId, 'shared_user')).toBe(12);
    });

    it('gives one browser identified as several users at once to the first verified one only', async () => {
      const s = await startSession(t, widget.widgetId);
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          identify(t, widget.widgetId, s.token, { userId: `rival_${i}`, signature: sign(`rival_${i}`, widget.secret) }),
        ),
      );
      for (const res of answers) expect(res.status, JSON.stringify(res.body)).toBe(200);
      const linked = answers.filter((res) => res.body.linked === true);
      expect(linked).toHaveLength(1);
      const owners = await t.adapter.db
        .selectFrom('anonymous_links')
        .select('user_id')
        .where('workspace_id', '=', owner.workspaceId)
        .where('anonymous_id', '=', s.anonymousId)
        .execute();
      expect(owners).toEqual([{ user_id: linked[0]!.body.userId }]);
    });

    it('updates, not overwrites, a user or link that another writer created after identify read none', async () => {
      // A first-time identify inserts without reading first (users-store.ts, `absent`); when the row was
      // created since its snapshot, the insert does nothing and the write must be what it is for a known row.
      const users = t.services.users;
      const ws = owner.workspaceId;
      const seed = [{ traits: { name: 'Ada' }, properties: { plan: 'enterprise', seats: 40 }, source: 'trusted' as const }];
      const claim = [{ traits: { email: 'ada@example.com' }, properties: { plan: 'free', team: 'core' }, source: 'claimed' as const }];
      const apply = (userId: string, absent: boolean) =>
        t.adapter.db.transaction().execute((trx) => users.applyProfile(trx, ws, userId, claim, 'verified', { absent }));
      for (const id of ['raced_a', 'raced_b'])
        await t.adapter.db.transaction().execute((trx) => users.applyProfile(trx, ws, id, seed, 'identified'));
      const raced = await apply('raced_a', true);
      const known = await apply('raced_b', false);
      expect(raced).toMatchObject({ created: false, aliased: false });
      const strip = (u: unknown) => ({ ...(u as Record<string, unknown>), userId: null, createdAt: null, updatedAt: null });
      expect(strip(raced.user)).toEqual(strip(known.user));
      expect(strip(await users.get(ws, 'raced_a'))).toEqual(strip(await users.get(ws, 'raced_b')));
      // The trusted plan stands against the claim; the claim's new keys and trait are added.
      expect(raced.user).toMatchObject({
        trust: 'verified',
        name: 'Ada',
        email: 'ada@example.com',
        properties: { plan: 'enterprise', seats: 40, team: 'core' },
      });

      const link = (anonymousId: string, userId: string, trust: 'verified' | 'identified') =>
        t.adapter.db.transaction().execute((trx) => users.link(trx, ws, anonymousId, userId, trust, widget.widgetId, { absent: true }));
      // An unverified claim linked the browser meanwhile: a verified identify takes it over, as after a read.
      await link('anon_raced_1', 'claimant', 'identified');
      expect(await link('anon_raced_1', 'prover', 'verified')).toBe(true);
      expect(await users.linkedUser(ws, 'anon_raced_1')).toEqual({ userId: 'prover', trust: 'verified' });
      // A verified link stands: the later identify is not linked.
      expect(await link('anon_raced_1', 'late', 'verified')).toBe(false);
      expect(await users.linkedUser(ws, 'anon_raced_1')).toEqual({ userId: 'prover', trust: 'verified' });
    });
  });
}
