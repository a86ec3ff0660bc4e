import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { addMember, call, otherWorkspaceOwner, setupOwner, workspaceApi, type Session } from '../test-support/api-helpers.js';
import { startSmtpCapture, type SmtpCapture } from '../test-support/smtp-capture.js';
import * as instanceSettingsMigration from '../db/migrations/0016-instance-settings.js';

const SMTP_PASSWORD = 'smtp pass: w0rd/%&?';
const URL_ = '/api/v1/instance/email';

for (const dialect of DIALECTS) {
  describe(`instance email settings [${dialect}]`, () => {
    let t: TestApp;
    let smtp: SmtpCapture;
    let owner: Session;
    let coOwner: Session;
    let admin: Session;
    let outsider: Session;
    const settings = () => ({
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      user: 'lumio',
      password: SMTP_PASSWORD,
      from: 'Lumio <lumio@example.com>',
      publicUrl: 'https://lumio.example.com/app/',
    });
    const api = (s: Session | null, method: string, url = URL_, payload?: unknown) =>
      call(t.app, { method: method as 'GET', url, ...(s ? { cookie: s.cookie } : {}), payload: payload as object });

    beforeAll(async () => {
      smtp = await startSmtpCapture({ user: 'lumio', password: SMTP_PASSWORD });
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      // Later accounts are created later (the migration's back-fill orders by creation time).
      t.clock.advance(1000);
      coOwner = await addMember(t, owner, 'co-owner@example.com', 'owner');
      admin = await addMember(t, owner, 'admin@example.com', 'admin');
      outsider = await otherWorkspaceOwner(t);
    }, 120_000);
    afterAll(async () => {
      await t?.close();
      await smtp?.close();
    });

    it('records the account that completed setup as the instance owner, and no one else', async () => {
      const row = await t.deps.db.selectFrom('instance_settings').selectAll().executeTakeFirstOrThrow();
      expect(row.owner_account_id).toBe(owner.accountId);
      expect(await t.services.instance.isOwner(owner.accountId)).toBe(true);
      for (const s of [coOwner, admin, outsider]) expect(await t.services.instance.isOwner(s.accountId)).toBe(false);
    });

    it('lets only the instance owner read and write (403 instance_owner_only for every other account, 401 signed out)', async () => {
      const read = await api(owner, 'GET');
      expect(read.status).toBe(200);
      expect(read.body).toEqual({ source: 'none', settings: null, environmentPublicUrl: null, testRecipient: owner.email });
      // Another owner of the very workspace setup made is still not the instance's owner.
      for (const s of [coOwner, admin, outsider]) {
        for (const [method, url, payload] of [
          ['GET', URL_, undefined],
          ['PUT', URL_, settings()],
          ['POST', `${URL_}/test`, undefined],
        ] as const) {
          const res = await api(s, method, url, payload);
          expect(res.status, `${s.email} ${method} ${url}`).toBe(403);
          expect(res.body.error.code).toBe('instance_owner_only');
        }
      }
      expect((await api(null, 'GET')).status).toBe(401);
      expect((await api(null, 'PUT', URL_, settings())).status).toBe(401);
      // Nothing was stored by the refused PUTs.
      expect((await api(owner, 'GET')).body.settings).toBeNull();
    });

    it('without settings a test email is email_not_configured', async () => {
      const res = await api(owner, 'POST', `${URL_}/test`);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('email_not_configured');
    });

    it('saves the settings with the password encrypted at rest, never answered nor audited', async () => {
      const saved = await api(owner, 'PUT', URL_, settings());
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      expect(saved.body).toEqual({
        source: 'dashboard',
        settings: {
          host: '127.0.0.1',
          port: smtp.port,
          security: 'none',
          user: 'lumio',
          passwordSet: true,
          from: 'Lumio <lumio@example.com>',
          publicUrl: 'https://lumio.example.com/app/',
        },
        environmentPublicUrl: null,
        testRecipient: owner.email,
      });
      const read = await api(owner, 'GET');
      expect(read.body).toEqual(saved.body);
      expect(JSON.stringify(read.body)).not.toContain('w0rd');
      // The raw row: the password is nowhere in it, in clear or percent-encoded; its column holds a SecretBox envelope.
      const row = await t.deps.db.selectFrom('instance_settings').selectAll().executeTakeFirstOrThrow();
      const raw = JSON.stringify(row);
      expect(raw).not.toContain('w0rd');
      expect(raw).not.toContain(encodeURIComponent(SMTP_PASSWORD));
      expect(row.smtp_password_ciphertext).toMatch(/^v1\./);
      // Audited in the owner's workspace, without the password.
      const audit = await workspaceApi(t, owner)('GET', '/audit-log');
      const entry = audit.body.entries.find((e: { action: string }) => e.action === 'instance.email.update');
      expect(entry).toMatchObject({
        actor: { type: 'account', id: owner.accountId },
        details: { host: '127.0.0.1', passwordChanged: true },
      });
      expect(JSON.stringify(audit.body)).not.toContain('w0rd');
      // This process switched at once.
      expect(t.deps.mailer.configured).toBe(true);
    });

    it('sends a test email to the owner through the saved settings, authenticating with the stored password', async () => {
      const res = await api(owner, 'POST', `${URL_}/test`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toEqual({ sentTo: owner.email });
      const mail = await smtp.next((m) => m.to.includes(owner.email) && m.subject === 'Lumio test email');
      expect(mail.from).toBe('lumio@example.com');
      // Links are built on the public URL saved with the settings.
      expect(mail.links).toEqual(['https://lumio.example.com/app/']);
      const audit = await workspaceApi(t, owner)('GET', '/audit-log');
      expect(audit.body.entries.find((e: { action: string }) => e.action === 'instance.email.test')).toMatchObject({
        details: { outcome: 'sent' },
      });
    });

    it('keeps the stored password when a save leaves it empty, and uses a new one when given', async () => {
      const { password: _password, ...withoutPassword } = settings();
      const kept = await api(owner, 'PUT', URL_, { ...withoutPassword, from: 'Kept <kept@example.com>' });
      expect(kept.body.settings.passwordSet).toBe(true);
      expect((await api(owner, 'POST', `${URL_}/test`)).status).toBe(200);
      await smtp.next((m) => m.from === 'kept@example.com');
      // A wrong password: the SMTP server refuses the login, the answer is email_send_failed, audited as such.
      expect((await api(owner, 'PUT', URL_, { ...settings(), password: 'wrong password' })).status).toBe(200);
      const refused = await api(owner, 'POST', `${URL_}/test`);
      expect(refused.status).toBe(502);
      expect(refused.body.error.code).toBe('email_send_failed');
      const audit = await workspaceApi(t, owner)('GET', '/audit-log');
      expect(audit.body.entries.find((e: { action: string }) => e.action === 'instance.email.test').details).toEqual({
        outcome: 'email_send_failed',
      });
      expect((await api(owner, 'PUT', URL_, settings())).status).toBe(200);
    });

    it('refuses bad values with invalid_request naming the field, changing nothing', async () => {
      const before = (await api(owner, 'GET')).body;
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ host: 'smtp.example.com\r\nRCPT TO:<x@evil.example>' }, 'host'],
        [{ host: 'has space.example.com' }, 'host'],
        [{ host: '' }, 'host'],
        [{ port: 0 }, 'port'],
        [{ port: 65536 }, 'port'],
        [{ port: '25' }, 'port'],
        [{ security: 'tls' }, 'security'],
        [{ from: 'Lumio <l@example.com>\nBcc: all@example.com' }, 'from'],
        [{ from: '' }, 'from'],
        [{ publicUrl: 'ftp://lumio.example.com' }, 'publicUrl'],
        [{ publicUrl: 'javascript:alert(1)' }, 'publicUrl'],
        [{ publicUrl: 'lumio.example.com' }, 'publicUrl'],
        [{ password: 'a\nb' }, 'password'],
        [{ extra: true }, ''],
      ];
      for (const [patch, field] of cases) {
        const res = await api(owner, 'PUT', URL_, { ...settings(), ...patch });
        expect(res.status, JSON.stringify(patch)).toBe(400);
        expect(['invalid_request', 'invalid_string'], JSON.stringify(res.body)).toContain(res.body.error.code);
        if (field) expect(res.body.error.details.field, JSON.stringify(patch)).toBe(field);
      }
      expect((await api(owner, 'GET')).body).toEqual(before);
    });

    it('loads the stored settings at start-up, and a second app on the same database follows a change', async () => {
      const other = await createTestApp(dialect, { database: t.database, masterKey: t.masterKey, clock: t.clock });
      try {
        // Loaded at start from the stored row (password decrypted with the shared master key).
        expect(other.deps.mailer.configured).toBe(true);
        const second = await startSmtpCapture({ user: 'second', password: 'second password' });
        try {
          const saved = await api(owner, 'PUT', URL_, {
            ...settings(),
            port: second.port,
            user: 'second',
            password: 'second password',
            from: 'Second <second@example.com>',
          });
          expect(saved.status).toBe(200);
          // On PostgreSQL the other process hears of it by NOTIFY; on SQLite (one process per file) both apps share
          // nothing in memory, so there it is the periodic re-read: run it by hand rather than wait a minute.
          if (dialect === 'sqlite') await (other.services.instance as unknown as { apply(): Promise<void> }).apply();
          // Until the other app has switched, its probe goes to the first server: poll until one reaches the second.
          await expect
            .poll(
              async () => {
                await other.deps.mailer.send({ to: 'probe@example.com', subject: 'probe', text: 'probe' }).catch(() => undefined);
                return second.received.some((m) => m.subject === 'probe');
              },
              { timeout: 5000, interval: 200 },
            )
            .toBe(true);
          const mail = await second.next((m) => m.subject === 'probe');
          expect(mail.from).toBe('second@example.com');
        } finally {
          await second.close();
        }
      } finally {
        await other.close();
      }
      expect((await api(owner, 'PUT', URL_, settings())).status).toBe(200);
    }, 120_000);

    it('with LUMIO_SMTP_URL set, shows email as set by the environment and refuses a save', async () => {
      const env = await createTestApp(dialect, {
        database: t.database,
        masterKey: t.masterKey,
        env: { LUMIO_SMTP_URL: smtp.url, LUMIO_PUBLIC_URL: 'https://env.example.com' },
      });
      try {
        const cookie = (
          await call(env.app, { method: 'POST', url: '/api/v1/auth/login', payload: { email: owner.email, password: owner.password } })
        ).headers['set-cookie'];
        const session = { ...owner, cookie: String(Array.isArray(cookie) ? cookie[0] : cookie).split(';')[0]! };
        const read = await call(env.app, { method: 'GET', url: URL_, cookie: session.cookie });
        expect(read.body).toMatchObject({ source: 'environment', environmentPublicUrl: 'https://env.example.com' });
        const put = await call(env.app, { method: 'PUT', url: URL_, cookie: session.cookie, payload: settings() });
        expect(put.status).toBe(409);
        expect(put.body.error.code).toBe('email_set_by_environment');
        // The environment's public URL wins in links.
        expect(env.deps.mailer.link('/app/')).toBe('https://env.example.com/app/');
      } finally {
        await env.close();
      }
    }, 120_000);

    it("back-fills an existing database's owner: the earliest-created account owning a workspace", async () => {
      await sql`DROP TABLE instance_settings`.execute(t.deps.db);
      await instanceSettingsMigration.up(t.deps.db as never, t.adapter);
      const row = await t.deps.db.selectFrom('instance_settings').selectAll().executeTakeFirstOrThrow();
      expect(row.owner_account_id).toBe(owner.accountId);
    });
  });
}
