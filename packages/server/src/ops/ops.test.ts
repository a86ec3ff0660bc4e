import crypto from 'node:crypto';
import net from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { createApp, type LumioApp } from '../app/create-app.js';
import { DIALECTS, TestClock, createTestApp, createTestDatabase, type TestApp, type TestDatabase } from '../test-support/test-app.js';
import {
  PASSWORD,
  call,
  createApiKey,
  createWidget,
  identify,
  login,
  setupOwner,
  sign,
  startSession,
  type Session,
} from '../test-support/api-helpers.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
const redisUp = await new Promise<boolean>((resolve) => {
  const socket = net.connect({ host: '127.0.0.1', port: 6379 });
  socket.setTimeout(500);
  socket.once('connect', () => (socket.destroy(), resolve(true)));
  socket.once('error', () => resolve(false));
  socket.once('timeout', () => (socket.destroy(), resolve(false)));
});

/** A random client IP, so limits counted in a shared store never carry over between tests or runs. */
const randomIp = () => `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;

/** The value of one Prometheus sample whose labels include `labels`; 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

async function metricsOf(t: { app: LumioApp['app'] }): Promise<string> {
  const res = await t.app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  return res.body;
}

/** Starts a widget session from a given client IP; returns its token. */
async function sessionFrom(t: TestApp, widgetId: string, ip: string): Promise<string> {
  const res = await call(t.app, {
    method: 'POST',
    url: `/widget/v1/${widgetId}/session`,
    remoteAddress: ip,
    payload: { anonymousId: `anon_${crypto.randomBytes(8).toString('hex')}` },
  });
  if (res.status !== 200) throw new Error(`session failed: ${JSON.stringify(res.body)}`);
  return res.body.token;
}

/** A signed identify from a given client IP, with a session started from that IP unless one is given. */
async function identifyFrom(t: TestApp, widget: { widgetId: string; secret: string }, ip: string, token?: string) {
  return call(t.app, {
    method: 'POST',
    url: `/widget/v1/${widget.widgetId}/identify`,
    remoteAddress: ip,
    bearer: token ?? (await sessionFrom(t, widget.widgetId, ip)),
    payload: { userId: 'user_1', signature: sign('user_1', widget.secret) },
  });
}

for (const dialect of DIALECTS) {
  describe(`ops: health, metrics and errors [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;

    beforeAll(async () => {
      t = await createTestApp(dialect, {
        config: { rateLimits: { identifyPerIpPerMinute: 3, identifyPerWidgetPerMinute: 3, loginPerAccountPerMinute: 3 } },
      });
      owner = await setupOwner(t);
    });
    afterAll(async () => t?.close());

    it('reports liveness on /healthz and readiness with the database name on /readyz', async () => {
      const res = await call(t.app, { method: 'GET', url: '/healthz' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
      const ready = await call(t.app, { method: 'GET', url: '/readyz' });
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: 'ready', database: dialect });
    });

    it('exposes request latency and identify outcomes as Prometheus metrics', async () => {
      const widget = await createWidget(t, owner);
      expect((await identifyFrom(t, widget, randomIp())).body.state).toBe('verified');
      const res = await t.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/plain');
      expect(res.body).toContain('# TYPE lumio_http_request_duration_seconds histogram');
      expect(
        sample(res.body, 'lumio_http_request_duration_seconds_count', {
          method: 'POST',
          route: '/widget/v1/:widgetId/identify',
          status: '200',
        }),
      ).toBeGreaterThanOrEqual(1);
      expect(sample(res.body, 'lumio_identify_outcomes_total', { outcome: 'verified' })).toBeGreaterThanOrEqual(1);
    });

    it('puts an x-request-id on every response and the same id in error bodies', async () => {
      const responses = await Promise.all([
        call(t.app, { method: 'GET', url: '/healthz' }),
        call(t.app, { method: 'GET', url: '/api/v1/setup' }),
        call(t.app, { method: 'GET', url: '/api/v1/auth/me' }),
        call(t.app, { method: 'GET', url: '/no/such/route' }),
        call(t.app, { method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email":' }),
      ]);
      const ids = responses.map((r) => r.headers['x-request-id']);
      for (const id of ids) expect(id).toMatch(/^req_/);
      expect(new Set(ids).size).toBe(ids.length);
      for (const res of responses.filter((r) => r.status >= 400)) expect(res.body.error.requestId).toBe(res.headers['x-request-id']);

      // A client cannot choose its own request id (it would let it forge log correlation).
      const forged = await call(t.app, { method: 'GET', url: '/healthz', headers: { 'x-request-id': 'req_forged' } });
      expect(forged.headers['x-request-id']).not.toBe('req_forged');
    });

    it('answers an unknown route with a JSON 404 not_found', async () => {
      const res = await call(t.app, { method: 'GET', url: '/api/v1/nothing-here?x=1' });
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.body.error).toMatchObject({ code: 'not_found', message: 'No route GET /api/v1/nothing-here.' });
    });

    it('refuses a body over the limit with 413, invalid JSON with 400, and a non-JSON body with 415', async () => {
      const big = await call(t.app, {
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(t.deps.config.bodyLimitBytes) }),
      });
      expect(big.status).toBe(413);
      expect(big.body.error.code).toBe('payload_too_large');

      const broken = await call(t.app, {
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: '{"email": "a@example.com",',
      });
      expect(broken.status).toBe(400);
      expect(broken.body.error).toMatchObject({ code: 'invalid_request', message: 'The body is not valid JSON.' });

      for (const contentType of ['application/x-www-form-urlencoded', 'text/plain']) {
        const res = await call(t.app, {
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: { 'content-type': contentType },
          payload: 'email=a@example.com&password=x',
        });
        expect(res.status, contentType).toBe(415);
        expect(res.body.error.code).toBe('unsupported_media_type');
      }
    });

    it('limits identify per client IP: the 4th call in a minute gets 429 with Retry-After, counted in a metric', async () => {
      const widgets = [await createWidget(t, owner, { name: 'IP limit A' }), await createWidget(t, owner, { name: 'IP limit B' })];
      const before = sample(await metricsOf(t), 'lumio_rate_limited_total', { route: '/widget/v1/:widgetId/identify' });
      const ip = randomIp();
      // Spread over two widgets, so only the per-IP limit can be what refuses the 4th; one page session per widget.
      const tokens = [await sessionFrom(t, widgets[0]!.widgetId, ip), await sessionFrom(t, widgets[1]!.widgetId, ip)];
      for (const i of [0, 1, 0]) expect((await identifyFrom(t, widgets[i]!, ip, tokens[i])).status).toBe(200);
      const refused = await identifyFrom(t, widgets[1]!, ip, tokens[1]);
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('rate_limited');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(sample(await metricsOf(t), 'lumio_rate_limited_total', { route: '/widget/v1/:widgetId/identify' })).toBe(before + 1);
      // Another client is not affected.
      expect((await identifyFrom(t, widgets[1]!, randomIp())).status).toBe(200);
    });

    it('limits identify per widget across client IPs', async () => {
      const widget = await createWidget(t, owner, { name: 'Widget limit' });
      for (let i = 0; i < 3; i++) expect((await identifyFrom(t, widget, randomIp())).status).toBe(200);
      const refused = await identifyFrom(t, widget, randomIp());
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('rate_limited');
    });

    it("counts failed identifies per source: a forger spends its own budget, never the widget's", async () => {
      const limited = await createTestApp(dialect, {
        config: { rateLimits: { identifyPerIpPerMinute: 1000, identifyPerWidgetPerMinute: 3, identifyFailuresPerSourcePerMinute: 5 } },
      });
      try {
        const widget = await createWidget(limited, await setupOwner(limited));
        const forger = randomIp();
        const token = await sessionFrom(limited, widget.widgetId, forger);
        const forge = () =>
          call(limited.app, {
            method: 'POST',
            url: `/widget/v1/${widget.widgetId}/identify`,
            remoteAddress: forger,
            bearer: token,
            payload: { userId: 'victim', signature: sign('victim', 'lsk_not_the_secret') },
          });
        // More forgeries than the widget's whole budget (3): each is checked and refused as what it is…
        for (let i = 0; i < 5; i++) expect((await forge()).body.error.code).toBe('invalid_signature');
        // …until the source's failure budget (5) is spent; then that source waits, even with a good signature.
        for (let i = 0; i < 5; i++) {
          const refused = await forge();
          expect(refused.status).toBe(429);
          expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
        }
        expect((await identifyFrom(limited, widget, forger, token)).status).toBe(429);
        // Everyone else still has the widget's whole budget: verified identifies from other sources answer 200.
        for (let i = 0; i < 3; i++) expect((await identifyFrom(limited, widget, randomIp())).status).toBe(200);
        // The widget budget itself still holds, charged by verified identifies only.
        expect((await identifyFrom(limited, widget, randomIp())).body.error.code).toBe('rate_limited');
      } finally {
        await limited.close();
      }
    });

    it('limits sign-in attempts per account across client IPs', async () => {
      const attempt = () =>
        call(t.app, {
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: randomIp(),
          payload: { email: 'target@example.com', password: 'guess guess guess' },
        });
      for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(401);
      const refused = await attempt();
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('rate_limited');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(sample(await metricsOf(t), 'lumio_rate_limited_total', { route: '/api/v1/auth/login' })).toBeGreaterThanOrEqual(1);
    });
  });

  describe(`ops: shared rate limits through Redis [${dialect}]`, () => {
    let a: TestApp;
    let b: TestApp;
    let widget: { widgetId: string; secret: string };

    beforeAll(async () => {
      if (!redisUp) return;
      const options = { config: { rateLimits: { identifyPerIpPerMinute: 3 } }, env: { REDIS_URL } };
      a = await createTestApp(dialect, options);
      b = await createTestApp(dialect, { ...options, database: a.database, masterKey: a.masterKey });
      widget = await createWidget(a, await setupOwner(a));
      // The limiter fails open until its Redis connection is up; wait until each app counts.
      for (const app of [a, b]) {
        for (let i = 0; ; i++) {
          const res = await identifyFrom(app, widget, randomIp());
          if (res.headers['x-ratelimit-remaining'] === '2') break;
          if (i > 50) throw new Error('the rate limiter never reached Redis');
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
    });

    it.skipIf(!redisUp)(
      'shares the identify limit between two servers through Redis (skipped when no Redis answers at 127.0.0.1:6379)',
      async () => {
        const ip = randomIp();
        // One page session; both servers share the master key, so either accepts its token.
        const token = await sessionFrom(a, widget.widgetId, ip);
        for (let i = 0; i < 3; i++) expect((await identifyFrom(a, widget, ip, token)).status).toBe(200);
        const refused = await identifyFrom(b, widget, ip, token);
        expect(refused.status).toBe(429);
        expect(refused.body.error.code).toBe('rate_limited');
        expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      },
    );
  });

  describe(`ops: identify failures counted through Redis [${dialect}]`, () => {
    it.skipIf(!redisUp)(
      'shares the failure count of a source between two servers (skipped when no Redis answers at 127.0.0.1:6379)',
      async () => {
        const options = {
          config: { rateLimits: { identifyPerIpPerMinute: 1000, identifyFailuresPerSourcePerMinute: 3 } },
          env: { REDIS_URL },
        };
        const a = await createTestApp(dialect, options);
        const b = await createTestApp(dialect, { ...options, database: a.database, masterKey: a.masterKey });
        try {
          const widget = await createWidget(a, await setupOwner(a));
          const ip = randomIp();
          const token = await sessionFrom(a, widget.widgetId, ip);
          const forge = (app: TestApp) =>
            call(app.app, {
              method: 'POST',
              url: `/widget/v1/${widget.widgetId}/identify`,
              remoteAddress: ip,
              bearer: token,
              payload: { userId: 'victim', signature: sign('victim', 'lsk_not_the_secret') },
            });
          // Both limiters fail open until the app's Redis connection is up: wait until the route limiter counts.
          for (const app of [a, b]) {
            for (let i = 0; ; i++) {
              const res = await identifyFrom(app, widget, randomIp());
              if (res.headers['x-ratelimit-remaining'] === '999') break;
              if (i > 50) throw new Error('the rate limiter never reached Redis');
              await new Promise((resolve) => setTimeout(resolve, 50));
            }
          }
          for (let i = 0; i < 3; i++) expect((await forge(a)).body.error.code).toBe('invalid_signature');
          const refused = await forge(b);
          expect(refused.status).toBe(429);
          expect(refused.body.error.code).toBe('rate_limited');
        } finally {
          await b.close();
          await a.close();
        }
      },
    );
  });

  describe(`ops: health when the database is gone [${dialect}]`, () => {
    let database: TestDatabase;
    let lumio: LumioApp;

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      const config = loadConfig({
        LUMIO_DATA_DIR: database.dataDir,
        LUMIO_MASTER_KEY: crypto.randomBytes(32).toString('base64'),
        LUMIO_LOG_LEVEL: 'silent',
      });
      lumio = await createApp({ config, adapter: database.open(), defaultMetrics: false });
      await lumio.app.ready();
    });
    afterAll(async () => {
      await lumio?.close();
      await database?.drop();
    });

    it('is not ready once the database is gone, and still alive', async () => {
      expect((await call(lumio.app, { method: 'GET', url: '/readyz' })).status).toBe(200);
      await lumio.deps.adapter.destroy();
      await new Promise((r) => setTimeout(r, 1100)); // past the cached answer
      const res = await call(lumio.app, { method: 'GET', url: '/readyz' });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.error.code).toBe('storage_unavailable');
      // Alive: a restart would not bring the database back.
      expect((await call(lumio.app, { method: 'GET', url: '/healthz' })).status).toBe(200);
    });
  });

  describe(`ops: logs never carry secrets [${dialect}]`, () => {
    let database: TestDatabase;
    let lumio: LumioApp;
    // The helpers take a TestApp; this one is built by hand to pass its own logger.
    let t: TestApp;
    let owner: Session;
    const clock = new TestClock();
    const lines: string[] = [];
    const linesContaining = (text: string) => lines.filter((line) => line.includes(text));

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString('utf8'));
          done();
        },
      });
      const config = loadConfig({
        LUMIO_DATA_DIR: database.dataDir,
        LUMIO_MASTER_KEY: crypto.randomBytes(32).toString('base64'),
        LUMIO_LOG_LEVEL: 'trace',
      });
      lumio = await createApp({ config, adapter: database.open(), clock, logDestination: sink, defaultMetrics: false });
      await lumio.app.ready();
      t = { ...lumio, clock, database, adapter: lumio.deps.adapter, masterKey: config.masterKey! };
    });
    afterAll(async () => {
      await lumio?.close();
      await database?.drop();
    });

    it('logs setup, sign-in, widget creation, secret reveal and identify without the password, secret, signature or cookie', async () => {
      owner = await setupOwner(t);
      const cookie = await login(t, owner.email);
      const widget = await createWidget(t, { ...owner, cookie });
      const reveal = await call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${owner.workspaceId}/widgets/${widget.widgetId}/secrets/reveal`,
        cookie,
        payload: { password: PASSWORD },
      });
      expect(reveal.status).toBe(200);
      const apiKey = await createApiKey(t, { ...owner, cookie });
      const session = await startSession(t, widget.widgetId);
      const signature = sign('user_42', widget.secret);
      expect((await identify(t, widget.widgetId, session.token, { userId: 'user_42', signature })).status).toBe(200);
      // A failed identify with a near-miss signature is logged too, with a diagnosis.
      await identify(t, widget.widgetId, session.token, { userId: 'user_43', signature });
      await lumio.services.identityLog.flush();

      expect(lines.length).toBeGreaterThan(10);
      expect(lines.join('')).toContain('incoming request');
      for (const secret of [PASSWORD, widget.secret, signature, cookie.split('=')[1]!, apiKey, session.token]) {
        expect(linesContaining(secret)).toEqual([]);
      }
    });

    it('keeps invite and password-reset tokens out of the log when a browser opens their links', async () => {
      const cookie = await login(t, owner.email);
      const invite = await call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${owner.workspaceId}/invites`,
        cookie,
        payload: { role: 'member' },
      });
      const reset = await call(t.app, {
        method: 'POST',
        url: `/api/v1/workspaces/${owner.workspaceId}/members/${owner.accountId}/password-reset`,
        cookie,
        payload: {},
      });
      expect(invite.status).toBe(201);
      expect(reset.status).toBe(201);
      for (const link of [invite.body.url, reset.body.url] as string[]) {
        const url = new URL(link);
        // The link carries the token in the fragment, which browsers never send; a
        // hand-typed ?token= must not reach the log either.
        expect(url.hash).toMatch(/^#token=/);
        const page = await t.app.inject({ method: 'GET', url: `${url.pathname}?${url.hash.slice(1)}` });
        expect(page.statusCode).toBe(200);
      }

      expect(lines.join('')).toContain('/app/invite');
      for (const token of [invite.body.token, reset.body.token] as string[]) {
        expect(linesContaining(token)).toEqual([]);
        expect(linesContaining(encodeURIComponent(token))).toEqual([]);
      }
    });
  });
}
