import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { signIdentityToken } from '@lumio/node';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { call, createWidget, identify, setupOwner, sign, startSession, type Session } from '../test-support/api-helpers.js';

for (const dialect of DIALECTS) {
  describe(`identify [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let widget: { widgetId: string; keyId: string; secret: string };

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      widget = await createWidget(t, owner);
    });
    afterAll(async () => t?.close());

    it('verifies a valid hex signature in either case and returns a verified session', async () => {
      for (const [userId, signature] of [
        ['user_1', sign('user_1', widget.secret)],
        ['user_2', sign('user_2', widget.secret).toUpperCase()],
      ] as const) {
        const s = await startSession(t, widget.widgetId);
        const res = await identify(t, widget.widgetId, s.token, {
          userId,
          signature,
          name: 'Ada',
          email: 'ada@example.com',
          properties: { plan: 'pro' },
        });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ state: 'verified', userId, anonymousId: s.anonymousId, linked: true });
        const me = await call(t.app, { method: 'GET', url: `/widget/v1/${widget.widgetId}/me`, bearer: res.body.token });
        expect(me.body).toMatchObject({
          state: 'verified',
          userId,
          profile: { name: 'Ada', email: 'ada@example.com', properties: { plan: 'pro' } },
        });
      }
    });

    it('accepts the object-client aliases hmac and profile.traits, and numeric ids', async () => {
      const s = await startSession(t, widget.widgetId);
      const res = await identify(t, widget.widgetId, s.token, {
        userId: 42,
        hmac: sign('42', widget.secret),
        profile: { email: 'n@example.com', gender: 'Female', birthday: '1990-04-01', traits: { plan: 'free' } },
      });
      expect(res.status).toBe(200);
      expect(res.body.userId).toBe('42');
      const user = await t.services.users.get(owner.workspaceId, '42');
      expect(user).toMatchObject({
        email: 'n@example.com',
        gender: 'Female',
        birthday: '1990-04-01',
        properties: { plan: 'free' },
        trust: 'verified',
      });
    });

    it('refuses a wrong signature: 401 invalid_signature, session stays anonymous, nothing stored', async () => {
      const s = await startSession(t, widget.widgetId);
      const res = await identify(t, widget.widgetId, s.token, {
        userId: 'victim',
        signature: sign('victim', 'not-the-secret'),
        email: 'x@example.com',
      });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_signature');
      expect(res.body.error.message).not.toContain(widget.secret);
      const me = await call(t.app, { method: 'GET', url: `/widget/v1/${widget.widgetId}/me`, bearer: s.token });
      expect(me.body).toMatchObject({ state: 'anonymous', userId: null });
      expect(await t.services.users.get(owner.workspaceId, 'victim')).toBeNull();
      expect(await t.services.users.linkedUser(owner.workspaceId, s.anonymousId)).toBeNull();
    });

    it('identifies without a signature under optional, and refuses it under required', async () => {
      const optional = await startSession(t, widget.widgetId);
      const ok = await identify(t, widget.widgetId, optional.token, { userId: 'unsigned_1' });
      expect(ok.status).toBe(200);
      expect(ok.body.state).toBe('identified');

      const strict = await createWidget(t, owner, { name: 'Strict', verificationMode: 'required' });
      const s = await startSession(t, strict.widgetId);
      const refused = await identify(t, strict.widgetId, s.token, { userId: 'unsigned_2' });
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('signature_required');
      expect(await t.services.users.get(owner.workspaceId, 'unsigned_2')).toBeNull();
    });

    it('rejects invalid user ids and property breaches with codes naming the problem', async () => {
      const s = await startSession(t, widget.widgetId);
      for (const userId of ['', 'x'.repeat(256), 1.5, { id: 1 }, null]) {
        const res = await identify(t, widget.widgetId, s.token, { userId, signature: 'ab' });
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('invalid_user_id');
      }
      // Identity and profile are separate outcomes: a bad profile field refuses
      // the profile update, not the identify (docs/identify.md).
      const long = await identify(t, widget.widgetId, s.token, { userId: 'p1', properties: { bio: 'x'.repeat(5000) } });
      expect(long.status).toBe(200);
      expect(long.body.profile).toEqual({
        accepted: false,
        errors: [{ field: 'properties.bio', code: 'property_limit_exceeded', message: expect.stringContaining('bio') }],
      });
      const nested = await identify(t, widget.widgetId, s.token, { userId: 'p1', properties: { address: { city: 'Paris' } } });
      expect(nested.body.profile.errors).toMatchObject([{ field: 'properties.address', code: 'invalid_property' }]);
      const gender = await identify(t, widget.widgetId, s.token, { userId: 'p1', gender: 'robot' });
      expect(gender.body.profile.errors).toMatchObject([{ field: 'gender', code: 'invalid_profile' }]);
      const tooMany = await identify(t, widget.widgetId, s.token, {
        userId: 'p1',
        properties: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i])),
      });
      expect(tooMany.body.profile.errors).toMatchObject([{ field: 'properties', code: 'property_limit_exceeded' }]);
      expect(await t.services.users.get(owner.workspaceId, 'p1')).toMatchObject({ gender: null, properties: {} });
    });

    it('verifies a signed identify whose profile is invalid, stores none of the profile and lists each bad field', async () => {
      const s = await startSession(t, widget.widgetId);
      const sig = sign('half_bad', widget.secret);
      const first = await identify(t, widget.widgetId, s.token, {
        userId: 'half_bad',
        signature: sig,
        name: 'Ada',
        properties: { plan: 'pro' },
      });
      expect(first.body.profile).toEqual({ accepted: true, errors: [] });

      const res = await identify(t, widget.widgetId, s.token, {
        userId: 'half_bad',
        signature: sig,
        name: 'Grace',
        birthday: '2999-01-01',
        properties: { plan: 'enterprise', address: { city: 'Paris' } },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'verified', userId: 'half_bad', linked: true });
      expect(res.body.profile).toMatchObject({
        accepted: false,
        errors: [
          { field: 'birthday', code: 'invalid_profile' },
          { field: 'properties.address', code: 'invalid_property' },
        ],
      });
      // Refused as a whole: neither the valid name nor the valid plan of that call is stored.
      const user = await t.services.users.get(owner.workspaceId, 'half_bad');
      expect(user).toMatchObject({ name: 'Ada', birthday: null, properties: { plan: 'pro' }, trust: 'verified' });
      // The new session token still reaches the user's private data.
      const me = await call(t.app, { method: 'GET', url: `/widget/v1/${widget.widgetId}/me`, bearer: res.body.token });
      expect(me.body).toMatchObject({ state: 'verified', userId: 'half_bad', profile: { name: 'Ada', properties: { plan: 'pro' } } });
      const log = await call(t.app, {
        method: 'GET',
        url: `/api/v1/workspaces/${owner.workspaceId}/widgets/${widget.widgetId}/identity-log?limit=100`,
        cookie: owner.cookie,
      });
      const mine = (log.body.entries as Array<{ outcome: string; userId: string | null }>).filter((e) => e.userId === 'half_bad');
      // Counted as verified (repeats may be folded into one entry), never as a failure.
      expect([...new Set(mine.map((e) => e.outcome))]).toEqual(['verified']);
    });

    it('merges on repeated identify and unsets with null', async () => {
      const s = await startSession(t, widget.widgetId);
      const sig = sign('merge_me', widget.secret);
      await identify(t, widget.widgetId, s.token, {
        userId: 'merge_me',
        signature: sig,
        name: 'A',
        properties: { plan: 'free', seats: 3 },
      });
      await identify(t, widget.widgetId, s.token, {
        userId: 'merge_me',
        signature: sig,
        properties: { plan: 'pro', seats: null, tags: ['a', 'b'] },
      });
      const user = await t.services.users.get(owner.workspaceId, 'merge_me');
      expect(user).toMatchObject({ name: 'A', properties: { plan: 'pro', tags: ['a', 'b'] } });
      expect(user!.properties).not.toHaveProperty('seats');
    });

    it('verifies a signed identity token whose claims are trusted and override clear-text values', async () => {
      // signIdentityToken signs with the real clock, and a token issued in the future is refused: run the
      // server on real time for this test (its session started after the switch), then put the clock back.
      const testNow = t.clock.current;
      t.clock.current = Date.now();
      try {
        await verifiesAToken();
      } finally {
        t.clock.current = testNow;
      }
    });

    async function verifiesAToken(): Promise<void> {
      const s = await startSession(t, widget.widgetId);
      const token = await signIdentityToken(
        { userId: 'tok_user', email: 'trusted@example.com', properties: { plan: 'enterprise' } },
        widget.secret,
        widget.keyId,
      );
      const res = await identify(t, widget.widgetId, s.token, {
        token,
        email: 'claimed@example.com',
        properties: { plan: 'free', role: 'admin' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'verified', userId: 'tok_user' });
      const user = await t.services.users.get(owner.workspaceId, 'tok_user');
      expect(user).toMatchObject({ email: 'trusted@example.com', properties: { plan: 'enterprise', role: 'admin' } });
      expect(user!.sources).toMatchObject({ email: 'trusted', 'properties.plan': 'trusted', 'properties.role': 'claimed' });

      // A later browser-claimed value never overwrites the trusted one.
      await identify(t, widget.widgetId, res.body.token, {
        userId: 'tok_user',
        signature: sign('tok_user', widget.secret),
        properties: { plan: 'free' },
      });
      expect((await t.services.users.get(owner.workspaceId, 'tok_user'))!.properties.plan).toBe('enterprise');
    }

    it('refuses expired, tampered and wrong-key tokens with their own codes', async () => {
      const old = await signIdentityToken({ userId: 'tok_exp' }, widget.secret, widget.keyId, { expiresIn: 60 });
      // Tokens are signed with the real clock; the server's clock is the test's. Move it past the token's
      // expiry, then put it back: leaving it at real time would expire the owner's dashboard session
      // (idle timeout) whenever the real date is far from the test clock's start.
      const testNow = t.clock.current;
      t.clock.current = Date.now() + 10 * 60_000;
      const s2 = await startSession(t, widget.widgetId);
      const res2 = await identify(t, widget.widgetId, s2.token, { token: old });
      expect(res2.status).toBe(401);
      expect(res2.body.error.code).toBe('identity_token_expired');

      const good = await signIdentityToken({ userId: 'tok_t' }, widget.secret, widget.keyId);
      t.clock.current = testNow;
      const s3 = await startSession(t, widget.widgetId);
      const [h, p, sig] = good.split('.');
      const tamperedPayload = Buffer.from(
        JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), sub: 'admin' }),
      ).toString('base64url');
      const res3 = await identify(t, widget.widgetId, s3.token, { token: `${h}.${tamperedPayload}.${sig}` });
      expect(res3.status).toBe(401);
      expect(res3.body.error.code).toBe('invalid_identity_token');
      const wrongKey = await signIdentityToken({ userId: 'tok_t' }, 'lsk_other', widget.keyId);
      const res4 = await identify(t, widget.widgetId, s3.token, { token: wrongKey });
      expect(res4.body.error.code).toBe('invalid_identity_token');
      expect(await t.services.users.get(owner.workspaceId, 'admin')).toBeNull();
    });

    it('refuses a token that lives longer than the maximum or was issued in the future, and logs why', async () => {
      // Signed with the server's (test) clock, so only the claims under test are off.
      const nowS = Math.floor(t.clock.now() / 1000);
      const mint = (userId: string, claims: { iat: number; exp: number }) =>
        new SignJWT({ ...claims })
          .setProtectedHeader({ alg: 'HS256', kid: widget.keyId })
          .setSubject(userId)
          .sign(new TextEncoder().encode(widget.secret));
      const attempt = async (token: string) => identify(t, widget.widgetId, (await startSession(t, widget.widgetId)).token, { token });

      const long = await attempt(await mint('tok_long', { iat: nowS, exp: nowS + 86_400 + 3600 }));
      expect(long.status).toBe(401);
      expect(long.body.error.code).toBe('identity_token_lifetime_too_long');
      const future = await attempt(await mint('tok_future', { iat: nowS + 600, exp: nowS + 900 }));
      expect(future.status).toBe(401);
      expect(future.body.error.code).toBe('identity_token_issued_in_future');
      expect(await t.services.users.get(owner.workspaceId, 'tok_long')).toBeNull();
      expect(await t.services.users.get(owner.workspaceId, 'tok_future')).toBeNull();

      // At the bounds: exp exactly the maximum ahead, iat within the clock-skew leeway.
      const edge = await attempt(await mint('tok_edge', { iat: nowS + 20, exp: nowS + 86_400 }));
      expect(edge.status).toBe(200);
      expect(edge.body.state).toBe('verified');

      const log = await t.services.identityLog.list(owner.workspaceId, widget.widgetId, { limit: 20, outcome: 'failed' });
      expect(log.filter((e) => e.userId === null || e.userId?.startsWith('tok_')).map((e) => e.reason)).toEqual(
        expect.arrayContaining(['identity_token_lifetime_too_long', 'identity_token_issued_in_future']),
      );
    });

    it('verifies a token whose profile claims are invalid, and applies none of its profile', async () => {
      const nowS = Math.floor(t.clock.now() / 1000);
      const token = await new SignJWT({ gender: 'robot', properties: { plan: 'pro', nested: { a: 1 } }, iat: nowS, exp: nowS + 600 })
        .setProtectedHeader({ alg: 'HS256', kid: widget.keyId })
        .setSubject('tok_badclaims')
        .sign(new TextEncoder().encode(widget.secret));
      const s = await startSession(t, widget.widgetId);
      const res = await identify(t, widget.widgetId, s.token, { token, name: 'Clear' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'verified', userId: 'tok_badclaims' });
      expect(res.body.profile).toMatchObject({
        accepted: false,
        errors: [
          { field: 'token.gender', code: 'invalid_profile' },
          { field: 'token.properties.nested', code: 'invalid_property' },
        ],
      });
      expect(await t.services.users.get(owner.workspaceId, 'tok_badclaims')).toMatchObject({ name: null, gender: null, properties: {} });
    });

    it('never lets an unverified session read what a verified session wrote', async () => {
      const verified = await startSession(t, widget.widgetId);
      await identify(t, widget.widgetId, verified.token, {
        userId: 'split',
        signature: sign('split', widget.secret),
        email: 'real@example.com',
        properties: { plan: 'pro' },
      });
      const spoof = await startSession(t, widget.widgetId);
      const res = await identify(t, widget.widgetId, spoof.token, {
        userId: 'split',
        name: 'Spoofer',
        properties: { plan: 'free', color: 'red' },
      });
      expect(res.body.state).toBe('identified');
      const me = await call(t.app, { method: 'GET', url: `/widget/v1/${widget.widgetId}/me`, bearer: res.body.token });
      expect(me.body.profile.email).toBeNull();
      expect(me.body.profile.properties).not.toHaveProperty('plan');
      expect(me.body.profile.properties).toEqual({ color: 'red' });
      // …and the unverified claim did not overwrite the verified session's value.
      expect((await t.services.users.get(owner.workspaceId, 'split'))!.properties.plan).toBe('pro');
    });

    it('links the anonymous id to the user, at most one user per anonymous id', async () => {
      const s = await startSession(t, widget.widgetId);
      await identify(t, widget.widgetId, s.token, { userId: 'first' });
      const second = await identify(t, widget.widgetId, s.token, { userId: 'second' });
      expect(second.body.linked).toBe(false);
      expect(await t.services.users.linkedUser(owner.workspaceId, s.anonymousId)).toEqual({ userId: 'first', trust: 'identified' });
      // A verified identify outranks an unverified claim on the same anonymous id.
      const third = await identify(t, widget.widgetId, s.token, { userId: 'third', signature: sign('third', widget.secret) });
      expect(third.body.linked).toBe(true);
      expect(await t.services.users.linkedUser(owner.workspaceId, s.anonymousId)).toEqual({ userId: 'third', trust: 'verified' });
    });

    it('answers allowed origins with CORS and refuses others with a code the page can read', async () => {
      const w = await createWidget(t, owner, { name: 'CORS', allowedOrigins: ['https://app.example.com'] });
      const preflight = await t.app.inject({
        method: 'OPTIONS',
        url: `/widget/v1/${w.widgetId}/session`,
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.statusCode).toBe(204);
      const refused = await call(t.app, {
        method: 'POST',
        url: `/widget/v1/${w.widgetId}/session`,
        headers: { origin: 'https://evil.example' },
        payload: { anonymousId: 'anon_12345678' },
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('widget_origin_not_allowed');
      expect(refused.headers['access-control-allow-origin']).toBe('https://evil.example');
      expect(refused.body.token).toBeUndefined();
      const allowed = await call(t.app, {
        method: 'POST',
        url: `/widget/v1/${w.widgetId}/session`,
        headers: { origin: 'https://app.example.com' },
        payload: { anonymousId: 'anon_12345678' },
      });
      expect(allowed.status).toBe(200);
      expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    });

    it('refuses a missing, forged or other-widget session token', async () => {
      const other = await createWidget(t, owner, { name: 'Other' });
      const s = await startSession(t, other.widgetId);
      for (const bearer of [undefined, 'lst1.e30.AAAA', s.token]) {
        const res = await call(t.app, {
          method: 'POST',
          url: `/widget/v1/${widget.widgetId}/identify`,
          ...(bearer ? { bearer } : {}),
          payload: { userId: 'x' },
        });
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('invalid_session');
      }
      const unknown = await call(t.app, { method: 'POST', url: '/widget/v1/wgt_nope/session', payload: { anonymousId: 'anon_12345678' } });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('widget_not_found');
    });
  });
}
