import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { PASSWORD, call, createWidget, setupOwner, type Session } from '../test-support/api-helpers.js';
import type { ConfigOverrides } from '../config/config.js';

// The per-IP request limiter is not under test here.
const limits = (rateLimits: { loginPerAccountPerMinute: number; loginFailuresPerSource: number }): ConfigOverrides => ({
  rateLimits: { loginPerIpPerMinute: 10_000, ...rateLimits },
});

const FIFTEEN_MINUTES = 15 * 60;

function signIn(t: TestApp, email: string, password: string, ip: string) {
  return call(t.app, { method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { email, password } });
}

/** What a client sees of an answer, the per-request id aside. */
function visible(res: { status: number; body: any; headers: Record<string, unknown> }) {
  const { requestId: _requestId, ...error } = res.body.error ?? {};
  return { status: res.status, error, retryAfter: res.headers['retry-after'], cookie: res.headers['set-cookie'] !== undefined };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

for (const dialect of DIALECTS) {
  describe(`sign-in throttle: no account enumeration [${dialect}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(dialect, { config: limits({ loginPerAccountPerMinute: 1000, loginFailuresPerSource: 2 }) });
      await t.services.accounts.create({ email: 'known@example.com', password: PASSWORD });
    });
    afterAll(async () => t?.close());

    it('answers a known and an unknown email with the same status, body and Retry-After, throttled or not', async () => {
      const run = async (email: string) => [
        visible(await signIn(t, email, 'wrong guess one', '203.0.113.10')),
        visible(await signIn(t, email, 'wrong guess two', '203.0.113.10')),
        // Over the pair's limit: refused before any check, the right password included.
        visible(await signIn(t, email, PASSWORD, '203.0.113.10')),
      ];
      const known = await run('known@example.com');
      const unknown = await run('nobody@example.com');
      expect(known).toEqual(unknown);
      expect(known.map((r) => r.status)).toEqual([401, 401, 429]);
      expect(known[0]!.error.code).toBe('invalid_credentials');
      expect(known[2]!.error.code).toBe('rate_limited');
      expect(Number(known[2]!.retryAfter)).toBe(FIFTEEN_MINUTES);
    });

    it('takes as long for an unknown email as for a wrong password (medians of a few tries)', async () => {
      const time = async (email: string, ip: string) => {
        const start = performance.now();
        expect((await signIn(t, email, 'not the password', ip)).status).toBe(401);
        return performance.now() - start;
      };
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 3; i++) {
        // A fresh IP per try keeps both below the pair limit.
        known.push(await time('known@example.com', `198.51.100.${i + 1}`));
        unknown.push(await time(`ghost${i}@example.com`, `198.51.100.${i + 1}`));
      }
      const ratio = median(unknown) / median(known);
      // Both cost one scrypt check (hundreds of ms); skipping it would make the unknown one ~100 times faster.
      expect(ratio, `known ${known.map(Math.round)} ms, unknown ${unknown.map(Math.round)} ms`).toBeGreaterThan(0.5);
      expect(ratio).toBeLessThan(2);
    });
  });

  describe(`sign-in throttle: per (account, IP) [${dialect}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(dialect, { config: limits({ loginPerAccountPerMinute: 1000, loginFailuresPerSource: 3 }) });
      await t.services.accounts.create({ email: 'pair@example.com', password: PASSWORD });
    });
    afterAll(async () => t?.close());

    it('makes only the failing IP wait, for the rest of its 15 minutes, and never renews the wait', async () => {
      for (let i = 0; i < 3; i++) expect((await signIn(t, 'pair@example.com', `guess ${i}`, '192.0.2.1')).status).toBe(401);
      const blocked = await signIn(t, 'pair@example.com', PASSWORD, '192.0.2.1');
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBe(FIFTEEN_MINUTES);
      // Another IP is not held back by this one's failures.
      expect((await signIn(t, 'pair@example.com', PASSWORD, '192.0.2.2')).status).toBe(200);

      // Knocking on while refused does not push the end of the wait back.
      t.clock.advance(10 * 60_000);
      const later = await signIn(t, 'pair@example.com', 'guess again', '192.0.2.1');
      expect(later.status).toBe(429);
      expect(Number(later.headers['retry-after'])).toBe(5 * 60);
      t.clock.advance(5 * 60_000);
      expect((await signIn(t, 'pair@example.com', PASSWORD, '192.0.2.1')).status).toBe(200);
    });

    it('counts parallel attempts as they arrive: no more than the limit gets a password check', async () => {
      await t.services.accounts.create({ email: 'burst@example.com', password: PASSWORD });
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => signIn(t, 'burst@example.com', `parallel guess ${i}`, '192.0.2.50')),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429]);
    });

    it('agrees across server processes sharing the database', async () => {
      const other = await createTestApp(dialect, {
        database: t.database,
        masterKey: t.masterKey,
        clock: t.clock,
        config: limits({ loginPerAccountPerMinute: 1000, loginFailuresPerSource: 3 }),
      });
      try {
        await t.services.accounts.create({ email: 'shared@example.com', password: PASSWORD });
        for (let i = 0; i < 3; i++) expect((await signIn(t, 'shared@example.com', `guess ${i}`, '192.0.2.77')).status).toBe(401);
        expect((await signIn(other, 'shared@example.com', PASSWORD, '192.0.2.77')).status).toBe(429);
      } finally {
        await other.close();
      }
    });
  });

  describe(`sign-in throttle: per account, across IPs [${dialect}]`, () => {
    let t: TestApp;
    const OWNER_IP = '198.51.100.200';
    let n = 0;
    const attackerIp = () => `203.0.113.${++n}`;

    beforeAll(async () => {
      t = await createTestApp(dialect, { config: limits({ loginPerAccountPerMinute: 2, loginFailuresPerSource: 5 }) });
      await t.services.accounts.create({ email: 'target@example.com', password: PASSWORD });
      // The owner signed in from home once: that IP is now a known source.
      expect((await signIn(t, 'target@example.com', PASSWORD, OWNER_IP)).status).toBe(200);
    });
    afterAll(async () => t?.close());

    it('slows a spread-out guesser to the limit per minute, with a wait of at most a minute, while the owner at home still signs in', async () => {
      for (let minute = 0; minute < 3; minute++) {
        expect((await signIn(t, 'target@example.com', 'guess', attackerIp())).status).toBe(401);
        expect((await signIn(t, 'target@example.com', 'guess', attackerIp())).status).toBe(401);
        // The third failure of the minute is refused from any new IP, the right password included.
        const refused = await signIn(t, 'target@example.com', PASSWORD, attackerIp());
        expect(refused.status).toBe(429);
        expect(refused.body.error.code).toBe('rate_limited');
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
        expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
        // The owner's known IP is exempt from the account-wide slow-down: no lock-out, however long the attack.
        expect((await signIn(t, 'target@example.com', PASSWORD, OWNER_IP)).status).toBe(200);
        t.clock.advance(60_000);
      }
      // Once the attack stops, a new IP waits at most one minute.
      expect((await signIn(t, 'target@example.com', PASSWORD, attackerIp())).status).toBe(200);
    });
  });

  describe(`sign-in throttle: only failures count [${dialect}]`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(dialect, { config: limits({ loginPerAccountPerMinute: 1, loginFailuresPerSource: 1 }) });
      await t.services.accounts.create({ email: 'busy@example.com', password: PASSWORD });
    });
    afterAll(async () => t?.close());

    it('lets an account sign in from many new IPs and many times from one, in the same minute', async () => {
      for (const ip of ['192.0.2.101', '192.0.2.102', '192.0.2.103', '192.0.2.103'])
        expect((await signIn(t, 'busy@example.com', PASSWORD, ip)).status).toBe(200);
    });
  });

  describe(`sign-in throttle: password re-asks count as failed sign-ins [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let widgetId: string;

    beforeAll(async () => {
      t = await createTestApp(dialect, { config: limits({ loginPerAccountPerMinute: 3, loginFailuresPerSource: 2 }) });
      owner = await setupOwner(t);
      widgetId = (await createWidget(t, owner)).widgetId;
    });
    afterAll(async () => t?.close());

    const reask = {
      confirm: (ip: string) =>
        call(t.app, {
          method: 'POST',
          url: '/api/v1/auth/confirm-password',
          cookie: owner.cookie,
          remoteAddress: ip,
          payload: { password: 'wrong guess' },
        }),
      change: (ip: string) =>
        call(t.app, {
          method: 'POST',
          url: '/api/v1/auth/change-password',
          cookie: owner.cookie,
          remoteAddress: ip,
          payload: { currentPassword: 'wrong guess', newPassword: 'a brand new passphrase' },
        }),
      reveal: (ip: string) =>
        call(t.app, {
          method: 'POST',
          url: `/api/v1/workspaces/${owner.workspaceId}/widgets/${widgetId}/secrets/reveal`,
          cookie: owner.cookie,
          remoteAddress: ip,
          payload: { password: 'wrong guess' },
        }),
    };

    it('holds a stolen session to the same limits: per IP, then per account across IPs, then sign-in is slowed too', async () => {
      // Per (account, IP): two wrong confirmations, then that IP waits, for the sign-in page too.
      expect((await reask.confirm('192.0.2.10')).status).toBe(401);
      expect((await reask.change('192.0.2.10')).status).toBe(401);
      const pairBlocked = await reask.reveal('192.0.2.10');
      expect(pairBlocked.status).toBe(429);
      expect(Number(pairBlocked.headers['retry-after'])).toBe(FIFTEEN_MINUTES);
      expect((await signIn(t, owner.email, PASSWORD, '192.0.2.10')).status).toBe(429);

      // Per account: a third failure from elsewhere uses up the minute; a fourth IP is refused, sign-in included.
      const wrongReveal = await reask.reveal('192.0.2.11');
      expect(wrongReveal.status).toBe(401);
      expect(wrongReveal.body.error.code).toBe('reauthentication_required');
      for (const ask of [reask.confirm, reask.change, reask.reveal]) expect((await ask('192.0.2.12')).status).toBe(429);
      expect((await signIn(t, owner.email, PASSWORD, '192.0.2.13')).status).toBe(429);

      t.clock.advance(60_000);
      expect((await signIn(t, owner.email, PASSWORD, '192.0.2.13')).status).toBe(200);
    });
  });
}
