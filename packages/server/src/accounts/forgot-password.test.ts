import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { PASSWORD, addMember, call, cookieFrom, login, setupOwner, type Session } from '../test-support/api-helpers.js';
import { startSmtpCapture, type SmtpCapture } from '../test-support/smtp-capture.js';

const GENEROUS_LIMITS = { loginPerIpPerMinute: 10_000, loginPerAccountPerMinute: 10_000, loginFailuresPerSource: 1000 };
const PUBLIC_URL = 'https://lumio.acme.test';
const NEW_PASSWORD = 'a brand new passphrase';

const tokenOf = (link: string) => decodeURIComponent(new URL(link).hash.replace(/^#token=/, ''));

for (const dialect of DIALECTS) {
  describe(`forgot password [${dialect}]`, () => {
    let smtp: SmtpCapture;
    let t: TestApp;
    let owner: Session;
    let member: Session;
    // Each test asks from its own IP, so the per-IP limit of one does not reach the next.
    let nextIp = 1;

    const forgot = (email: string, ip = `203.0.113.${nextIp}`) =>
      call(t.app, { method: 'POST', url: '/api/v1/auth/forgot-password', payload: { email }, remoteAddress: ip });
    const useReset = (token: string, password = NEW_PASSWORD) =>
      call(t.app, { method: 'POST', url: '/api/v1/auth/password-reset', payload: { token, password } });
    const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));
    // Asks for a link and answers the one new email it brought (each test stands alone: counts are relative).
    const requestLink = async (address: string) => {
      const before = mailsTo(address).length;
      expect((await forgot(address)).status).toBe(202);
      await t.services.forgotPassword.settled();
      const mails = mailsTo(address);
      expect(mails).toHaveLength(before + 1);
      return mails.at(-1)!.links[0]!;
    };
    const auditActions = async (s: Session) =>
      (
        (await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${s.workspaceId}/audit-log`, cookie: s.cookie })).body
          .entries as Array<{
          action: string;
        }>
      ).map((e) => e.action);

    beforeAll(async () => {
      smtp = await startSmtpCapture();
      t = await createTestApp(dialect, {
        config: { rateLimits: GENEROUS_LIMITS },
        env: { LUMIO_SMTP_URL: smtp.url, LUMIO_PUBLIC_URL: PUBLIC_URL },
      });
      owner = await setupOwner(t);
      member = await addMember(t, owner, 'member@example.com', 'member');
    });
    afterAll(async () => {
      await t?.close();
      await smtp?.close();
    });

    it('answers the same for a known and an unknown address, and emails only the known one a link that resets once', async () => {
      nextIp++;
      const before = mailsTo('member@example.com').length;
      const known = await forgot('Member@Example.com');
      const unknown = await forgot('nobody@example.com');
      expect(known.status).toBe(202);
      expect(unknown.status).toBe(known.status);
      expect(unknown.body).toEqual(known.body);
      expect(known.body).toEqual({ requested: true });
      expect(unknown.headers['content-length']).toBe(known.headers['content-length']);
      expect(unknown.headers['set-cookie']).toBeUndefined();

      await t.services.forgotPassword.settled();
      expect(mailsTo('member@example.com')).toHaveLength(before + 1);
      const link = mailsTo('member@example.com').at(-1)!.links[0]!;
      expect(mailsTo('nobody@example.com')).toHaveLength(0);
      const mail = mailsTo('member@example.com').at(-1)!;
      expect(mail.subject).toBe('Reset your Lumio password');
      expect(mail.text).toContain('expires in 30 minutes');
      expect(link.startsWith(`${PUBLIC_URL}/app/reset-password#token=`)).toBe(true);

      const used = await useReset(tokenOf(link));
      expect(used.status).toBe(200);
      // Every older session ends; the reset signs in anew.
      expect((await call(t.app, { method: 'GET', url: '/api/v1/auth/me', cookie: member.cookie })).status).toBe(401);
      expect((await call(t.app, { method: 'GET', url: '/api/v1/auth/me', cookie: cookieFrom(used.headers) })).status).toBe(200);
      member = { ...member, cookie: await login(t, 'member@example.com', NEW_PASSWORD), password: NEW_PASSWORD };

      const again = await useReset(tokenOf(link), 'yet another passphrase');
      expect(again.status).toBe(400);
      expect(again.body.error.code).toBe('invalid_reset_token');
      // The request is not audited in the workspace (it would tell its admins who asked); the reset is.
      const actions = await auditActions(owner);
      expect(actions).toContain('account.password_reset');
      expect(actions.filter((a) => a.includes('forgot'))).toEqual([]);
    });

    it('lets an owner, whom nobody outranks, reset their own password by email', async () => {
      nextIp++;
      const link = await requestLink('owner@example.com');
      expect((await useReset(tokenOf(link))).status).toBe(200);
      owner = { ...owner, cookie: await login(t, 'owner@example.com', NEW_PASSWORD), password: NEW_PASSWORD };
    });

    it('refuses a link after 30 minutes', async () => {
      nextIp++;
      const link = await requestLink('member@example.com');
      t.clock.advance(30 * 60_000 + 1);
      const late = await useReset(tokenOf(link));
      expect(late.status).toBe(400);
      expect(late.body.error.code).toBe('invalid_reset_token');
      expect((await call(t.app, { method: 'GET', url: '/api/v1/auth/me', cookie: member.cookie })).status).toBe(200);
    });

    it('invalidates older self-service links with a newer request, but not a link an admin issued', async () => {
      nextIp++;
      const issued = await call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${owner.workspaceId}/members/${member.accountId}/password-reset`,
        cookie: owner.cookie,
        payload: {},
      });
      expect(issued.status).toBe(201);
      const older = await requestLink('member@example.com');
      const newer = await requestLink('member@example.com');
      expect(newer).not.toBe(older);
      const refused = await useReset(tokenOf(older));
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('invalid_reset_token');
      expect((await useReset(tokenOf(newer))).status).toBe(200);
      expect((await useReset(issued.body.token, 'the admin chose this one')).status).toBe(200);
    });

    it('limits requests per address (known or not, alike) across IPs', async () => {
      await t.services.accounts.create({ email: 'limited-known@example.com', password: PASSWORD });
      for (const address of ['limited-known@example.com', 'limited-unknown@example.com']) {
        for (let i = 0; i < 3; i++) expect((await forgot(address, `198.51.100.${i + 1}`)).status).toBe(202);
        const over = await forgot(address, '198.51.100.99');
        expect(over.status).toBe(429);
        expect(over.body.error.code).toBe('rate_limited');
        expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
      }
    });

    it('refuses a cross-site request (the Origin check applies to this public route too), and a bad address', async () => {
      const foreign = await call(t.app, {
        method: 'POST',
        url: '/api/v1/auth/forgot-password',
        payload: { email: 'member@example.com' },
        headers: { origin: 'https://evil.example' },
      });
      expect(foreign.status).toBe(403);
      expect(foreign.body.error.code).toBe('origin_not_allowed');
      const bad = await forgot('not an address');
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('invalid_request');
    });

    it('says that email is enabled, and nothing else', async () => {
      const status = await call(t.app, { method: 'GET', url: '/api/v1/auth/email-status' });
      expect(status.status).toBe(200);
      expect(status.body).toEqual({ emailEnabled: true });
    });
  });

  describe(`forgot password without SMTP [${dialect}]`, () => {
    let smtp: SmtpCapture;
    let t: TestApp;
    beforeAll(async () => {
      // A capture server nobody is told about: it proves nothing is sent anywhere.
      smtp = await startSmtpCapture();
      t = await createTestApp(dialect, { config: { rateLimits: { ...GENEROUS_LIMITS, loginPerIpPerMinute: 3 } } });
      await setupOwner(t);
    });
    afterAll(async () => {
      await t?.close();
      await smtp?.close();
    });

    it('answers exactly as with email, sends nothing, says email is off, and limits requests per IP', async () => {
      const known = await call(t.app, { method: 'POST', url: '/api/v1/auth/forgot-password', payload: { email: 'owner@example.com' } });
      const unknown = await call(t.app, { method: 'POST', url: '/api/v1/auth/forgot-password', payload: { email: 'x@example.com' } });
      expect(known.status).toBe(202);
      expect(known.body).toEqual({ requested: true });
      expect(unknown.status).toBe(202);
      expect(unknown.body).toEqual({ requested: true });
      await t.services.forgotPassword.settled();
      expect(smtp.received).toHaveLength(0);
      const resets = await t.adapter.db.selectFrom('password_resets').select('token_hash').execute();
      expect(resets).toHaveLength(0);
      expect((await call(t.app, { method: 'GET', url: '/api/v1/auth/email-status' })).body).toEqual({ emailEnabled: false });
      await call(t.app, { method: 'POST', url: '/api/v1/auth/forgot-password', payload: { email: 'y@example.com' } });
      const over = await call(t.app, { method: 'POST', url: '/api/v1/auth/forgot-password', payload: { email: 'z@example.com' } });
      expect(over.status).toBe(429);
    });
  });
}
