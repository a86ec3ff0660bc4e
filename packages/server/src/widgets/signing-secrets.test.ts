import crypto from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import {
  PASSWORD,
  addMember,
  call,
  login,
  createWidget,
  identify,
  setupOwner,
  sign,
  startSession,
  type Session,
} from '../test-support/api-helpers.js';
import { reencryptSecrets } from '../cli/rotate-master-key.js';
import { decodeMasterKey } from '../crypto/master-key.js';

const DAY = 24 * 3600 * 1000;

for (const dialect of DIALECTS) {
  describe(`signing secrets [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let admin: Session;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      admin = await addMember(t, owner, 'admin@example.com', 'admin');
    });
    afterAll(async () => t?.close());

    const base = (widgetId: string) => `/api/v1/workspaces/${owner.workspaceId}/widgets/${widgetId}`;
    const verifiesWith = async (widgetId: string, secret: string) => {
      const s = await startSession(t, widgetId);
      const res = await identify(t, widgetId, s.token, { userId: 'u1', signature: sign('u1', secret) });
      return res.status === 200 && res.body.state === 'verified';
    };

    it('shows the secret once at creation; listings and widget reads never show it', async () => {
      const w = await createWidget(t, owner);
      expect(w.secret).toMatch(/^lsk_[A-Za-z0-9_-]{43}$/);
      for (const url of [
        base(w.widgetId),
        `${base(w.widgetId)}/secrets`,
        `/api/v1/workspaces/${owner.workspaceId}/widgets`,
        `/api/v1/workspaces/${owner.workspaceId}/audit-log`,
      ]) {
        const res = await call(t.app, { method: 'GET', url, cookie: owner.cookie });
        expect(res.status).toBe(200);
        expect(JSON.stringify(res.body)).not.toContain(w.secret);
      }
    });

    it('reveals only with the password or a sign-in within 5 minutes, and audits every reveal', async () => {
      const w = await createWidget(t, owner);
      t.clock.advance(6 * 60_000);
      const stale = await call(t.app, { method: 'POST', url: `${base(w.widgetId)}/secrets/reveal`, cookie: admin.cookie, payload: {} });
      expect(stale.status).toBe(401);
      expect(stale.body.error.code).toBe('reauthentication_required');
      const wrong = await call(t.app, {
        method: 'POST',
        url: `${base(w.widgetId)}/secrets/reveal`,
        cookie: admin.cookie,
        payload: { password: 'wrong password!' },
      });
      expect(wrong.body.error.code).toBe('reauthentication_required');
      const ok = await call(t.app, {
        method: 'POST',
        url: `${base(w.widgetId)}/secrets/reveal`,
        cookie: admin.cookie,
        payload: { password: PASSWORD },
      });
      expect(ok.status).toBe(200);
      expect(ok.body.secrets).toEqual([{ keyId: w.keyId, secret: w.secret, state: 'current' }]);
      // Within 5 minutes of confirming, no password is needed again.
      const again = await call(t.app, { method: 'POST', url: `${base(w.widgetId)}/secrets/reveal`, cookie: admin.cookie, payload: {} });
      expect(again.status).toBe(200);
      const audit = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${owner.workspaceId}/audit-log`, cookie: owner.cookie });
      const reveals = audit.body.entries.filter(
        (e: { action: string; target: { id: string } }) => e.action === 'secret.reveal' && e.target.id === w.widgetId,
      );
      expect(reveals).toHaveLength(2);
      expect(reveals[0]).toMatchObject({ actor: { type: 'account', id: admin.accountId } });
      expect(JSON.stringify(audit.body)).not.toContain(w.secret);
    });

    it('rotation keeps both secrets verifying during the grace period, then only the new one', async () => {
      const w = await createWidget(t, owner);
      const rotated = await call(t.app, {
        method: 'POST',
        url: `${base(w.widgetId)}/secrets/rotate`,
        cookie: owner.cookie,
        payload: { graceSeconds: 7 * 24 * 3600 },
      });
      expect(rotated.status).toBe(201);
      const fresh = rotated.body.secret as string;
      expect(fresh).not.toBe(w.secret);
      expect(rotated.body.secrets).toEqual([
        expect.objectContaining({ keyId: rotated.body.keyId, state: 'current', expiresAt: null }),
        expect.objectContaining({ keyId: w.keyId, state: 'grace', expiresAt: t.clock.now() + 7 * DAY }),
      ]);
      expect(await verifiesWith(w.widgetId, w.secret)).toBe(true);
      expect(await verifiesWith(w.widgetId, fresh)).toBe(true);
      t.clock.advance(7 * DAY + 1000);
      // A week later the dashboard sessions have expired too: sign in again.
      owner.cookie = await login(t, owner.email);
      admin.cookie = await login(t, admin.email);
      expect(await verifiesWith(w.widgetId, w.secret)).toBe(false);
      expect(await verifiesWith(w.widgetId, fresh)).toBe(true);
      const list = await call(t.app, { method: 'GET', url: `${base(w.widgetId)}/secrets`, cookie: owner.cookie });
      expect(list.body.secrets.map((s: { state: string }) => s.state)).toEqual(['current', 'retired']);
      const log = await call(t.app, { method: 'GET', url: `${base(w.widgetId)}/identity-log?outcome=failed`, cookie: owner.cookie });
      expect(log.body.entries[0]).toMatchObject({ reason: 'invalid_signature', diagnosis: 'retired_secret', keyId: w.keyId });
    });

    it('retires at once with a zero grace period, and revocation stops a secret verifying immediately', async () => {
      const w = await createWidget(t, owner);
      const rotated = await call(t.app, {
        method: 'POST',
        url: `${base(w.widgetId)}/secrets/rotate`,
        cookie: owner.cookie,
        payload: { graceSeconds: 0 },
      });
      expect(await verifiesWith(w.widgetId, w.secret)).toBe(false);
      const second = await call(t.app, {
        method: 'POST',
        url: `${base(w.widgetId)}/secrets/rotate`,
        cookie: owner.cookie,
        payload: { graceSeconds: 3600 },
      });
      expect(await verifiesWith(w.widgetId, rotated.body.secret)).toBe(true);
      const revoke = await call(t.app, {
        method: 'POST',
        url: `${base(w.widgetId)}/secrets/${rotated.body.keyId}/revoke`,
        cookie: owner.cookie,
        payload: {},
      });
      expect(revoke.status).toBe(200);
      expect(await verifiesWith(w.widgetId, rotated.body.secret)).toBe(false);
      expect(await verifiesWith(w.widgetId, second.body.secret)).toBe(true);
      const audit = await call(t.app, { method: 'GET', url: `/api/v1/workspaces/${owner.workspaceId}/audit-log`, cookie: owner.cookie });
      expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual(
        expect.arrayContaining(['secret.rotate', 'secret.revoke']),
      );
    });

    it('ends sessions verified with a revoked secret at their next renewal', async () => {
      const w = await createWidget(t, owner);
      const s = await startSession(t, w.widgetId);
      const verified = await identify(t, w.widgetId, s.token, { userId: 'renew', signature: sign('renew', w.secret) });
      const renew = (token: string) =>
        call(t.app, { method: 'POST', url: `/widget/v1/${w.widgetId}/session`, bearer: token, payload: { anonymousId: s.anonymousId } });
      expect((await renew(verified.body.token)).body).toMatchObject({ state: 'verified', userId: 'renew' });
      await call(t.app, {
        method: 'POST',
        url: `${base(w.widgetId)}/secrets/rotate`,
        cookie: owner.cookie,
        payload: { graceSeconds: 3600 },
      });
      await call(t.app, { method: 'POST', url: `${base(w.widgetId)}/secrets/${w.keyId}/revoke`, cookie: owner.cookie, payload: {} });
      expect((await renew(verified.body.token)).body).toMatchObject({ state: 'anonymous', userId: null });
    });

    it('diagnoses the usual signing mistakes for owner/admin without revealing the secret', async () => {
      const w = await createWidget(t, owner);
      const sibling = await createWidget(t, owner, { name: 'Sibling' });
      const mac = (msg: string, key: string) => crypto.createHmac('sha256', key).update(msg).digest();
      const cases: Array<[Record<string, unknown>, string | null]> = [
        [{ userId: 'u1', signature: mac('u1', w.secret).toString('base64') }, 'signature_base64'],
        [{ userId: 'u1', email: 'u1@example.com', signature: sign('u1@example.com', w.secret) }, 'signed_email'],
        [{ userId: ' u1 ', signature: sign('u1', w.secret) }, 'user_id_whitespace'],
        [{ userId: 'u1', signature: sign('u1', sibling.secret) }, 'other_widget_secret'],
        [{ userId: 'u1', signature: crypto.createHmac('sha256', 'u1').update(w.secret).digest('hex') }, 'key_and_message_swapped'],
        [{ userId: 'u1', signature: 'f'.repeat(64) }, null],
      ];
      for (const [payload] of cases) {
        const s = await startSession(t, w.widgetId);
        const res = await identify(t, w.widgetId, s.token, payload);
        expect(res.body.error.code).toBe('invalid_signature');
        expect(res.body.error).not.toHaveProperty('details.diagnosis');
      }
      const log = await call(t.app, {
        method: 'GET',
        url: `${base(w.widgetId)}/identity-log?outcome=failed&limit=${cases.length}`,
        cookie: admin.cookie,
      });
      expect(log.body.entries.map((e: { diagnosis: string | null }) => e.diagnosis).reverse()).toEqual(cases.map(([, d]) => d));
      expect(log.body.entries.find((e: { diagnosis: string }) => e.diagnosis === 'signed_email').hint).toMatch(/sign the exact userId/);
      expect(JSON.stringify(log.body)).not.toContain(w.secret);
    });

    it('never diagnoses with another workspace’s secret', async () => {
      const other = await t.services.accounts.create({ email: 'x@example.com', password: PASSWORD });
      const ws = await t.services.workspaces.create('Other', other.id, { type: 'cli', id: null, ip: null });
      const foreign = await t.services.widgets.create(ws.id, { name: 'Foreign' }, { type: 'cli', id: null, ip: null });
      const w = await createWidget(t, owner);
      const s = await startSession(t, w.widgetId);
      await identify(t, w.widgetId, s.token, { userId: 'u1', signature: sign('u1', foreign.signingSecret.secret) });
      const log = await call(t.app, {
        method: 'GET',
        url: `${base(w.widgetId)}/identity-log?outcome=failed&limit=1`,
        cookie: owner.cookie,
      });
      expect(log.body.entries[0]).toMatchObject({ diagnosis: null, keyId: null });
    });

    it('counts outcomes per hour for the verified rate, readable by members', async () => {
      const w = await createWidget(t, owner);
      for (const payload of [
        { userId: 'a', signature: sign('a', w.secret) },
        { userId: 'b', signature: sign('b', w.secret) },
        { userId: 'c' },
        { userId: 'd', signature: 'x' },
      ]) {
        const s = await startSession(t, w.widgetId);
        await identify(t, w.widgetId, s.token, payload);
      }
      const member = await addMember(t, owner, `m${Date.now()}@example.com`, 'member');
      const stats = await call(t.app, { method: 'GET', url: `${base(w.widgetId)}/identity-stats?hours=2`, cookie: member.cookie });
      expect(stats.status).toBe(200);
      expect(stats.body.total).toEqual({ verified: 2, identified: 1, failed: 1, verifiedRate: 0.5 });
      expect(stats.body.hours[0].reasons).toEqual({ invalid_signature: 1 });
      const raw = await call(t.app, { method: 'GET', url: `${base(w.widgetId)}/identity-log`, cookie: member.cookie });
      expect(raw.status).toBe(403);
    });

    it('re-encrypts every secret under a new master key', async () => {
      const w = await createWidget(t, owner);
      const newKey = crypto.randomBytes(32).toString('base64');
      const count = await reencryptSecrets(t.adapter, decodeMasterKey(t.masterKey), decodeMasterKey(newKey));
      expect(count).toBeGreaterThan(0);
      const rows = await t.adapter.db
        .selectFrom('signing_secrets')
        .select(['id', 'ciphertext'])
        .where('widget_id', '=', w.widgetId)
        .execute();
      const { SecretBox } = await import('../crypto/secret-box.js');
      expect(new SecretBox(decodeMasterKey(newKey)).open(rows[0]!.ciphertext!, rows[0]!.id)).toBe(w.secret);
      expect(() => new SecretBox(decodeMasterKey(t.masterKey)).open(rows[0]!.ciphertext!, rows[0]!.id)).toThrow();
      await reencryptSecrets(t.adapter, decodeMasterKey(newKey), decodeMasterKey(t.masterKey));
    });

    it.runIf(dialect === 'sqlite')('stores no secret in plaintext in the SQLite file', async () => {
      const created = [await createWidget(t, owner), await createWidget(t, owner)];
      const rotated = await call(t.app, {
        method: 'POST',
        url: `${base(created[0]!.widgetId)}/secrets/rotate`,
        cookie: owner.cookie,
        payload: {},
      });
      const apiKey = await call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${owner.workspaceId}/api-keys`,
        cookie: owner.cookie,
        payload: { name: 'k' },
      });
      await t.services.identityLog.flush();
      const needles = [...created.map((c) => c.secret), rotated.body.secret, apiKey.body.key, PASSWORD, owner.cookie.split('=')[1]!];
      const files = [t.database.sqliteFile!, `${t.database.sqliteFile}-wal`].filter((f) => fs.existsSync(f));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const bytes = fs.readFileSync(file);
        for (const needle of needles) {
          expect(bytes.includes(Buffer.from(needle)), `${needle.slice(0, 6)}… in ${file}`).toBe(false);
          // A secret must not be there in any common encoding either.
          expect(bytes.includes(Buffer.from(Buffer.from(needle).toString('base64')))).toBe(false);
        }
      }
    });
  });
}
