import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { PASSWORD, addMember, call, cookieFrom, otherWorkspaceOwner, setupOwner, type Session } from '../test-support/api-helpers.js';
import { startSmtpCapture, type SmtpCapture } from '../test-support/smtp-capture.js';

const GENEROUS_LIMITS = { loginPerIpPerMinute: 10_000, loginPerAccountPerMinute: 10_000, loginFailuresPerSource: 1000 };
const PUBLIC_URL = 'https://lumio.acme.test';

const hashOf = (link: string) => new URLSearchParams(new URL(link).hash.slice(1));
const tokenOf = (link: string) => hashOf(link).get('token')!;

for (const dialect of DIALECTS) {
  describe(`invites by email [${dialect}]`, () => {
    let smtp: SmtpCapture;
    let t: TestApp;
    let owner: Session;

    const invite = (by: Session, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
      call(t.app, { method: 'POST', url: `/api/v1/workspaces/${by.workspaceId}/invites`, cookie: by.cookie, payload, headers });
    const accept = (payload: Record<string, unknown>, cookie?: string) =>
      call(t.app, { method: 'POST', url: '/api/v1/invites/accept', payload, ...(cookie ? { cookie } : {}) });
    const auditOf = async (s: Session) =>
      (await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${s.workspaceId}/audit-log`, cookie: s.cookie })).body.entries as Array<{
        action: string;
        target: { id: string } | null;
        details: Record<string, unknown>;
      }>;

    beforeAll(async () => {
      smtp = await startSmtpCapture();
      t = await createTestApp(dialect, {
        config: { rateLimits: GENEROUS_LIMITS },
        env: { LUMIO_SMTP_URL: smtp.url, LUMIO_PUBLIC_URL: PUBLIC_URL, LUMIO_SMTP_FROM: 'Lumio <lumio@acme.test>' },
      });
      owner = await setupOwner(t);
      await call(t.app, { method: 'PATCH', url: '/api/v1/auth/me', cookie: owner.cookie, payload: { name: 'Olga Owner' } });
    });
    afterAll(async () => {
      await t?.close();
      await smtp?.close();
    });

    it('emails the link to the address; the link works once, creates the account and signs the person in', async () => {
      // A forged Host must not make it into the email's link.
      const res = await invite(owner, { role: 'admin', email: '  Ada@Example.COM ' }, { host: 'evil.example' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ email: 'ada@example.com', emailed: true, role: 'admin' });
      expect(res.body.emailError).toBeUndefined();
      // The copyable link is still shown once, as a fallback.
      expect(res.body.url).toContain(`/app/invite#token=${encodeURIComponent(res.body.token)}`);

      const mail = await smtp.next((m) => m.to.includes('ada@example.com'));
      expect(mail.to).toEqual(['ada@example.com']);
      expect(mail.subject).toBe('Olga Owner (owner@example.com) invites you to Acme on Lumio');
      expect(mail.text).toContain('expires on');
      expect(mail.links).toHaveLength(1);
      const link = mail.links[0]!;
      expect(link.startsWith(`${PUBLIC_URL}/app/invite#token=`)).toBe(true);
      expect(tokenOf(link)).toBe(res.body.token);
      // The accept page fills in and locks the address it was sent to.
      expect(hashOf(link).get('email')).toBe('ada@example.com');
      expect(hashOf(res.body.url).get('email')).toBe('ada@example.com');

      const pending = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${owner.workspaceId}/invites`, cookie: owner.cookie });
      expect(pending.body.invites).toContainEqual(expect.objectContaining({ id: res.body.id, email: 'ada@example.com' }));

      // No email typed: the invite's address is the account's.
      const accepted = await accept({ token: tokenOf(link), password: PASSWORD, name: 'Ada' });
      expect(accepted.status).toBe(201);
      expect(accepted.body).toMatchObject({ workspaceId: owner.workspaceId, role: 'admin' });
      const cookie = cookieFrom(accepted.headers);
      const setCookie = String(accepted.headers['set-cookie']);
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Lax/i);
      // The public URL is https: the cookie is Secure, as sign-in's is.
      expect(setCookie).toMatch(/Secure/i);
      const me = await call(t.app, { method: 'GET', url: '/api/v1/auth/me', cookie });
      expect(me.status).toBe(200);
      expect(me.body.account).toMatchObject({ email: 'ada@example.com', name: 'Ada' });
      expect(me.body.workspaces).toContainEqual(expect.objectContaining({ id: owner.workspaceId, role: 'admin' }));

      const again = await accept({ token: tokenOf(link), password: PASSWORD });
      expect(again.status).toBe(400);
      expect(again.body.error.code).toBe('invalid_invite');
      expect(again.headers['set-cookie']).toBeUndefined();

      const entry = (await auditOf(owner)).find((e) => e.action === 'member.invite' && e.target?.id === res.body.id);
      expect(entry?.details).toEqual({ role: 'admin', email: 'ada@example.com', emailed: true });
      expect(JSON.stringify(await auditOf(owner))).not.toContain(res.body.token);
    });

    it('refuses a new account with another address than the invite was sent to, and keeps the invite usable', async () => {
      const res = await invite(owner, { email: 'grace@example.com' });
      const mismatch = await accept({ token: res.body.token, email: 'mallory@example.com', password: PASSWORD });
      expect(mismatch.status).toBe(400);
      expect(mismatch.body.error.code).toBe('invite_email_mismatch');
      expect(mismatch.headers['set-cookie']).toBeUndefined();
      const ok = await accept({ token: res.body.token, email: 'Grace@Example.com', password: PASSWORD });
      expect(ok.status).toBe(201);
      const me = await call(t.app, { method: 'GET', url: '/api/v1/auth/me', cookie: cookieFrom(ok.headers) });
      expect(me.body.account.email).toBe('grace@example.com');
    });

    it('keeps today’s behaviour for a signed-in account: it joins, and no new session is started', async () => {
      const other = await otherWorkspaceOwner(t, 'signed-in@example.com');
      const res = await invite(owner, { email: 'signed-in@example.com' });
      const joined = await accept({ token: res.body.token }, other.cookie);
      expect(joined.status).toBe(201);
      expect(joined.body.accountId).toBe(other.accountId);
      expect(joined.headers['set-cookie']).toBeUndefined();
    });

    it('answers a bad address with invalid_invite_email and creates nothing', async () => {
      const before = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${owner.workspaceId}/invites`, cookie: owner.cookie });
      for (const email of [
        'not-an-email',
        'a@b',
        'two@@example.com',
        'sp ace@example.com',
        `${'x'.repeat(320)}@example.com`,
        'a@example.com\r\nBcc: x@evil.test',
      ]) {
        const res = await invite(owner, { email });
        expect(res.status, email).toBe(400);
        expect(res.body.error.code, email).toBe('invalid_invite_email');
      }
      const after = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${owner.workspaceId}/invites`, cookie: owner.cookie });
      expect(after.body.invites).toHaveLength(before.body.invites.length);
      // Empty means a link-only invite, as before.
      const linkOnly = await invite(owner, { email: '' });
      expect(linkOnly.status).toBe(201);
      expect(linkOnly.body).toMatchObject({ email: null, emailed: false });
      expect(linkOnly.body.emailError).toBeUndefined();
    });

    it('keeps the invite when the SMTP server refuses: emailed false with the reason, audited as failed', async () => {
      smtp.refuse(true);
      try {
        const res = await invite(owner, { email: 'refused@example.com' });
        expect(res.status).toBe(201);
        expect(res.body).toMatchObject({ email: 'refused@example.com', emailed: false, emailError: 'email_send_failed' });
        const pending = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${owner.workspaceId}/invites`, cookie: owner.cookie });
        expect(pending.body.invites.map((i: { id: string }) => i.id)).toContain(res.body.id);
        const entry = (await auditOf(owner)).find((e) => e.action === 'member.invite' && e.target?.id === res.body.id);
        expect(entry?.details).toEqual({ role: 'member', email: 'refused@example.com', emailed: false, emailError: 'email_send_failed' });
        // The copyable link still works.
        smtp.refuse(false);
        expect((await accept({ token: res.body.token, password: PASSWORD })).status).toBe(201);
      } finally {
        smtp.refuse(false);
      }
    });

    it('shows an invite’s address to the admins of its own workspace only', async () => {
      const other = await otherWorkspaceOwner(t, 'tenant-b@example.com');
      await invite(other, { email: 'b-secret-invitee@example.com' });
      const admin = await addMember(t, owner, 'admin-viewer@example.com', 'admin');
      const mine = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${owner.workspaceId}/invites`, cookie: admin.cookie });
      expect(JSON.stringify(mine.body)).not.toContain('b-secret-invitee');
      const theirs = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${other.workspaceId}/invites`, cookie: admin.cookie });
      expect(theirs.status).toBe(404);
      expect(JSON.stringify(theirs.body)).not.toContain('b-secret-invitee');
    });
  });

  describe(`invites by email without SMTP [${dialect}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(dialect, { config: { rateLimits: GENEROUS_LIMITS } });
    });
    afterAll(async () => t?.close());

    it('records the address and answers email_not_configured; the copyable link flow works and signs the person in', async () => {
      const owner = await setupOwner(t);
      const res = await call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${owner.workspaceId}/invites`,
        cookie: owner.cookie,
        payload: { email: 'lin@example.com' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ email: 'lin@example.com', emailed: false, emailError: 'email_not_configured' });
      const accepted = await call(t.app, {
        method: 'POST',
        url: '/api/v1/invites/accept',
        payload: { token: res.body.token, password: PASSWORD },
      });
      expect(accepted.status).toBe(201);
      const me = await call(t.app, { method: 'GET', url: '/api/v1/auth/me', cookie: cookieFrom(accepted.headers) });
      expect(me.body.account.email).toBe('lin@example.com');
    });
  });
}
