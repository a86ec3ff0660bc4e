import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LumioClient, signIdentityToken } from '@lumio/node';
import { GroupCommit } from '../db/group-commit.js';
import { DIALECTS, TestClock, createTestApp, type TestApp } from '../test-support/test-app.js';
import { createApiKey, createWidget, identify, setupOwner, sign, startSession, type Session } from '../test-support/api-helpers.js';

type Widget = Awaited<ReturnType<typeof createWidget>>;

for (const dialect of DIALECTS) {
  describe(`identify with companies [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let widget: Widget;
    let lumio: LumioClient;

    const membership = async (companyId: string, userId: string) =>
      (
        await t.deps.db
          .selectFrom('company_members')
          .select('source')
          .where('workspace_id', '=', owner.workspaceId)
          .where('company_id', '=', companyId)
          .where('user_id', '=', userId)
          .executeTakeFirst()
      )?.source ?? null;
    const token = (claims: Parameters<typeof signIdentityToken>[0]) => signIdentityToken(claims, widget.secret, widget.keyId);

    beforeAll(async () => {
      // Identity tokens are signed with the real clock: the server's must agree.
      t = await createTestApp(dialect, { clock: new TestClock(Date.now()) });
      owner = await setupOwner(t);
      widget = await createWidget(t, owner);
      lumio = new LumioClient({ baseUrl: await t.app.listen({ port: 0, host: '127.0.0.1' }), apiKey: await createApiKey(t, owner) });
    });
    afterAll(async () => t?.close());
    afterEach(() => vi.restoreAllMocks());

    it('an unverified session creates the company with unverified values and an unverified membership', async () => {
      const s = await startSession(t, widget.widgetId);
      const res = await identify(t, widget.widgetId, s.token, {
        userId: 'un-1',
        company: { id: 'acme', name: 'Acme', properties: { plan: 'pro', seats: 3 } },
      });
      expect(res.body).toMatchObject({ state: 'identified', profile: { accepted: true, errors: [] } });
      expect(await lumio.companies.get('acme')).toMatchObject({
        companyId: 'acme',
        name: 'Acme',
        properties: { plan: 'pro', seats: 3 },
        sources: { name: 'unverified', 'properties.plan': 'unverified' },
        memberCount: 1,
      });
      expect(await membership('acme', 'un-1')).toBe('unverified');
    });

    it('a plain signed identify claims; a signed identity token is trusted and overrides the claim', async () => {
      const s = await startSession(t, widget.widgetId);
      await identify(t, widget.widgetId, s.token, {
        userId: 'sig-1',
        signature: sign('sig-1', widget.secret),
        companies: [{ id: 'globex', name: 'Globex', properties: { plan: 'free' } }, { id: 7 }],
      });
      expect(await membership('globex', 'sig-1')).toBe('claimed');
      expect(await membership('7', 'sig-1')).toBe('claimed');
      expect((await lumio.companies.get('globex')).sources).toEqual({ name: 'claimed', 'properties.plan': 'claimed' });

      // The same company in clear text beside the token stays a claim; the token's own is trusted and wins.
      const s2 = await startSession(t, widget.widgetId);
      const res = await identify(t, widget.widgetId, s2.token, {
        token: await token({ userId: 'tok-1', company: { id: 'globex', name: 'Globex Corp', properties: { plan: 'enterprise' } } }),
        company: { id: 'globex', name: 'Globex Fake', properties: { plan: 'free', region: 'eu' } },
      });
      expect(res.body).toMatchObject({ state: 'verified', profile: { accepted: true } });
      expect(await membership('globex', 'tok-1')).toBe('trusted');
      expect(await lumio.companies.get('globex')).toMatchObject({
        name: 'Globex Corp',
        properties: { plan: 'enterprise', region: 'eu' },
        sources: { name: 'trusted', 'properties.plan': 'trusted', 'properties.region': 'claimed' },
      });
    });

    it('a claim never overwrites a trusted value, and an unverified session never raises a membership', async () => {
      await lumio.users.upsert('trust-1', { companies: [{ id: 'initech', name: 'Initech', properties: { plan: 'enterprise' } }] });
      expect(await membership('initech', 'trust-1')).toBe('trusted');
      const s = await startSession(t, widget.widgetId);
      await identify(t, widget.widgetId, s.token, {
        userId: 'trust-1',
        signature: sign('trust-1', widget.secret),
        company: { id: 'initech', name: 'Initech Ltd', properties: { plan: 'free' } },
      });
      expect(await lumio.companies.get('initech')).toMatchObject({ name: 'Initech', properties: { plan: 'enterprise' } });
      expect(await membership('initech', 'trust-1')).toBe('trusted');

      // Anyone may claim a userId without a signature: what they send stays unverified.
      const anyone = await startSession(t, widget.widgetId);
      await identify(t, widget.widgetId, anyone.token, { userId: 'un-2', company: { id: 'initech', properties: { plan: 'hacked' } } });
      expect(await membership('initech', 'un-2')).toBe('unverified');
      expect((await lumio.companies.get('initech')).properties).toEqual({ plan: 'enterprise' });
      await identify(t, widget.widgetId, anyone.token, { userId: 'un-2', company: { id: 'initech' } });
      expect(await membership('initech', 'un-2')).toBe('unverified');
      // A later verified identify with a signature raises it to a claim, no further.
      const verified = await startSession(t, widget.widgetId);
      await identify(t, widget.widgetId, verified.token, {
        userId: 'un-2',
        signature: sign('un-2', widget.secret),
        company: { id: 'initech' },
      });
      expect(await membership('initech', 'un-2')).toBe('claimed');
    });

    it('a repeat identify naming the same companies writes nothing', async () => {
      const s = await startSession(t, widget.widgetId);
      const body = {
        token: await token({ userId: 'rep-1', company: { id: 'umbrella', name: 'Umbrella', properties: { tier: 'gold' } } }),
        companies: [{ id: 'umbrella-eu', properties: { region: 'eu' } }],
      };
      expect((await identify(t, widget.widgetId, s.token, body)).status).toBe(200);
      const submit = vi.spyOn(GroupCommit.prototype, 'submit');
      for (let i = 0; i < 3; i++) expect((await identify(t, widget.widgetId, s.token, body)).body.profile.accepted).toBe(true);
      expect(submit).not.toHaveBeenCalled();
      // A changed value is written.
      await identify(t, widget.widgetId, s.token, { ...body, companies: [{ id: 'umbrella-eu', properties: { region: 'us' } }] });
      expect(submit).toHaveBeenCalledTimes(1);
      expect((await lumio.companies.get('umbrella-eu')).properties).toEqual({ region: 'us' });
    });

    it('refuses a bad company with a stable code naming the field, keeping the identity', async () => {
      const s = await startSession(t, widget.widgetId);
      const cases: Array<[Record<string, unknown>, string, string]> = [
        [{ company: { id: '' } }, 'company.id', 'invalid_company'],
        [{ company: { id: 'x', properties: { nested: { a: 1 } } } }, 'company.properties.nested', 'invalid_property'],
        [{ company: { id: 'x', properties: { long: 'x'.repeat(2000) } } }, 'company.properties.long', 'property_limit_exceeded'],
        [{ company: { id: 'x', plan: 'pro' } }, 'company.plan', 'invalid_company'],
        [{ company: 'acme' }, 'company', 'invalid_company'],
        [{ companies: [{ id: 'a' }, { id: 'a' }] }, 'companies.1.id', 'invalid_company'],
        [{ companies: Array.from({ length: 21 }, (_, i) => ({ id: `c${i}` })) }, 'companies', 'too_many_companies'],
        [{ companies: [{ id: 'ok' }, { id: 'y', name: 5 }] }, 'companies.1.name', 'invalid_company'],
      ];
      for (const [extra, field, code] of cases) {
        const res = await identify(t, widget.widgetId, s.token, {
          userId: 'bad-1',
          signature: sign('bad-1', widget.secret),
          properties: { plan: 'kept-out' },
          ...extra,
        });
        expect(res.status, field).toBe(200);
        expect(res.body.state).toBe('verified');
        expect(res.body.profile.accepted).toBe(false);
        expect(res.body.profile.errors, field).toContainEqual(expect.objectContaining({ field, code }));
      }
      // The profile was refused as a whole: nothing of it, no company, was stored.
      expect((await lumio.users.get('bad-1')).properties).toEqual({});
      expect((await lumio.users.export('bad-1')).companies).toEqual([]);
      for (const id of ['x', 'a', 'ok', 'c0']) await expect(lumio.companies.get(id)).rejects.toMatchObject({ code: 'not_found' });

      // A token's bad company claim likewise refuses the token's profile, not the identity.
      const res = await identify(t, widget.widgetId, s.token, { token: await badToken() });
      expect(res.body).toMatchObject({ state: 'verified', userId: 'bad-2', profile: { accepted: false } });
      expect(res.body.profile.errors).toContainEqual(expect.objectContaining({ field: 'token.company.id', code: 'invalid_company' }));
    });

    // signIdentityToken refuses a bad company itself, so the bad token is signed by hand.
    async function badToken(): Promise<string> {
      const { SignJWT } = await import('jose');
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ company: { id: '' }, properties: { plan: 'x' } })
        .setProtectedHeader({ alg: 'HS256', kid: widget.keyId })
        .setSubject('bad-2')
        .setIssuedAt(now)
        .setExpirationTime(now + 300)
        .sign(new TextEncoder().encode(widget.secret));
    }
  });
}
