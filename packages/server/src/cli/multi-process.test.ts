import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startServerProcess, type ServerProcess } from '../test-support/server-process.js';
import { PASSWORD, sign } from '../test-support/api-helpers.js';

const url = process.env.LUMIO_TEST_DATABASE_URL;

// Scale-out: stateless processes sharing one PostgreSQL and one master key.
describe.runIf(url)('two server processes on one PostgreSQL', () => {
  const database = `lumio_mp_${crypto.randomBytes(4).toString('hex')}`;
  const masterKey = crypto.randomBytes(32).toString('base64');
  let a: ServerProcess;
  let b: ServerProcess;
  let databaseUrl: string;
  // What the first test set up, for the ones after it.
  let shared: { cookie: string; widgetId: string; secret: string; apiKey: string } | undefined;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${database}`);
    await admin.end();
    const parsed = new URL(url!);
    parsed.pathname = `/${database}`;
    databaseUrl = parsed.toString();
    const env = { DATABASE_URL: databaseUrl, LUMIO_MASTER_KEY: masterKey, LUMIO_DATA_DIR: `/tmp/${database}` };
    a = await startServerProcess(env, 18000 + Math.floor(Math.random() * 1000));
    b = await startServerProcess(env, 19000 + Math.floor(Math.random() * 1000));
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  });

  it('identifies a user through one process and reads it through the other; rotation reaches both without a restart', async () => {
    // Each process issues a setup token as it starts, voiding the one before: B started last, so
    // B's is the live one (it is issued before B answers; its line may reach us a moment later).
    await expect.poll(() => /token=(lsu_[A-Za-z0-9_-]+)/.test(b.stdout()), { timeout: 5_000 }).toBe(true);
    const token = /token=(lsu_[A-Za-z0-9_-]+)/.exec(b.stdout())![1];
    const setup = await request(`${b.url}/api/v1/setup`, {
      method: 'POST',
      body: { token, email: 'o@example.com', password: PASSWORD, workspaceName: 'Scale' },
    });
    expect(setup.status).toBe(201);
    const cookie = setup.headers.get('set-cookie')!.split(';')[0]!;
    const ws = setup.body.workspace.id as string;
    // The dashboard session made on B works on A: sessions live in the shared database.
    const widget = await request(`${a.url}/api/v1/workspaces/${ws}/widgets`, { method: 'POST', headers: { cookie }, body: { name: 'W' } });
    expect(widget.status).toBe(201);
    const { id: widgetId, signingSecret } = widget.body as { id: string; signingSecret: { secret: string } };

    // A session token minted by A is accepted by B (shared master key, no database read).
    const session = await request(`${a.url}/widget/v1/${widgetId}/session`, { method: 'POST', body: { anonymousId: 'anon_multi_1' } });
    const identified = await request(`${b.url}/widget/v1/${widgetId}/identify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.body.token}` },
      body: { userId: 'scale-user', signature: sign('scale-user', signingSecret.secret), properties: { plan: 'pro' } },
    });
    expect(identified.body.state).toBe('verified');

    const key = await request(`${a.url}/api/v1/workspaces/${ws}/api-keys`, { method: 'POST', headers: { cookie }, body: { name: 'k' } });
    const read = await request(`${a.url}/server/v1/users/scale-user`, { headers: { authorization: `Bearer ${key.body.key}` } });
    expect(read.body).toMatchObject({ userId: 'scale-user', trust: 'verified', properties: { plan: 'pro' } });

    // Warm B's widget cache, rotate with no grace on A, and B refuses the old secret: LISTEN/NOTIFY, not a cache timeout.
    const verifyOn = async (server: ServerProcess, secret: string) => {
      const s = await request(`${server.url}/widget/v1/${widgetId}/session`, {
        method: 'POST',
        body: { anonymousId: `anon_${crypto.randomBytes(6).toString('hex')}` },
      });
      const r = await request(`${server.url}/widget/v1/${widgetId}/identify`, {
        method: 'POST',
        headers: { authorization: `Bearer ${s.body.token}` },
        body: { userId: 'u', signature: sign('u', secret) },
      });
      return r.status;
    };
    expect(await verifyOn(b, signingSecret.secret)).toBe(200);
    const rotated = await request(`${a.url}/api/v1/workspaces/${ws}/widgets/${widgetId}/secrets/rotate`, {
      method: 'POST',
      headers: { cookie },
      body: { graceSeconds: 0 },
    });
    expect(rotated.status).toBe(201);
    const started = Date.now();
    let status = await verifyOn(b, signingSecret.secret);
    while (status === 200 && Date.now() - started < 5000) {
      await new Promise((r) => setTimeout(r, 20));
      status = await verifyOn(b, signingSecret.secret);
    }
    expect(status).toBe(401);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await verifyOn(b, rotated.body.secret)).toBe(200);
    shared = { cookie, widgetId, secret: rotated.body.secret as string, apiKey: key.body.key as string };

    // An announcement published through A reaches B's widget API at once, and so does its end:
    // B had the workspace's live set cached (empty) before; NOTIFY drops it.
    const feedOn = async (server: ServerProcess) =>
      (
        await request(`${server.url}/widget/v1/${widgetId}/announcements`, {
          headers: { authorization: `Bearer ${identified.body.token}` },
        })
      ).body.announcements.map((x: { title: string }) => x.title) as string[];
    expect(await feedOn(b)).toEqual([]);
    const until = async (check: () => Promise<boolean>) => {
      const since = Date.now();
      while (!(await check()) && Date.now() - since < 5000) await new Promise((r) => setTimeout(r, 20));
      return Date.now() - since;
    };
    const published = await request(`${a.url}/api/v1/workspaces/${ws}/announcements`, {
      method: 'POST',
      headers: { cookie },
      body: { kind: 'banner', title: 'For pro', audience: { condition: { plan: 'pro' } }, status: 'live' },
    });
    expect(published.status).toBe(201);
    expect(await until(async () => (await feedOn(b)).includes('For pro'))).toBeLessThan(5000);
    await request(`${a.url}/api/v1/workspaces/${ws}/announcements/${published.body.id}`, {
      method: 'PATCH',
      headers: { cookie },
      body: { status: 'ended' },
    });
    expect(await until(async () => !(await feedOn(b)).includes('For pro'))).toBeLessThan(5000);
  });

  it("answers a repeat identify from each process's memory, and the other process's next identify sees a change made through one", async () => {
    const { widgetId, secret, apiKey } = shared!;
    const api = { authorization: `Bearer ${apiKey}` };
    // One browser (one anonymous id) of one signed-in user, page after page.
    const identifyOn = async (server: ServerProcess, userId: string) => {
      const session = await request(`${server.url}/widget/v1/${widgetId}/session`, {
        method: 'POST',
        body: { anonymousId: `anon_${userId}` },
      });
      const answer = await request(`${server.url}/widget/v1/${widgetId}/identify`, {
        method: 'POST',
        headers: { authorization: `Bearer ${session.body.token}` },
        body: { userId, signature: sign(userId, secret), name: 'Ann' },
      });
      expect(answer.status).toBe(200);
    };
    const reads = async (server: ServerProcess) => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      const count = (from: string) =>
        Number(new RegExp(`lumio_identify_snapshot_reads_total\\{from="${from}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
      return { memory: count('memory'), database: count('database') };
    };
    const nameOf = async (userId: string) => {
      const user = await request(`${a.url}/server/v1/users/${userId}`, { headers: api });
      return user.status === 200 ? (user.body.name as string | null) : `status ${user.status}`;
    };

    // Repeat identifies on B read the user and link from memory, not PostgreSQL. The first one writes,
    // and its own notification (heard after its commit) drops the copy once more: warm up until one hits.
    await identifyOn(b, 'cached-user');
    for (let tries = 0; tries < 20; tries++) {
      const was = (await reads(b)).memory;
      await identifyOn(b, 'cached-user');
      if ((await reads(b)).memory > was) break;
    }
    const before = await reads(b);
    for (let i = 0; i < 5; i++) await identifyOn(b, 'cached-user');
    const after = await reads(b);
    expect(after.memory - before.memory).toBe(5);
    expect(after.database - before.database).toBe(0);

    // A trusted unset through the other process: B's copy still says "Ann", so only a B that heard
    // of the change writes the claimed name again.
    const unset = await request(`${a.url}/server/v1/users/cached-user`, { method: 'PUT', headers: api, body: { name: null } });
    expect(unset.status).toBe(200);
    expect(await nameOf('cached-user')).toBeNull();
    await identifyOn(b, 'cached-user');
    expect(await nameOf('cached-user')).toBe('Ann');

    // Erased through A: B's next identify creates the user anew instead of trusting its copy.
    await identifyOn(b, 'cached-user');
    const erased = await request(`${a.url}/server/v1/users/cached-user`, { method: 'DELETE', headers: api });
    expect(erased.status).toBe(200);
    expect(await nameOf('cached-user')).toBe('status 404');
    await identifyOn(b, 'cached-user');
    expect(await nameOf('cached-user')).toBe('Ann');
  });

  it('finishes in-flight requests on SIGTERM and exits cleanly', async () => {
    // The test's fetch keeps its socket alive: shutdown must not wait for the client to hang up.
    const pending = request(`${a.url}/healthz`);
    const started = Date.now();
    const code = await a.stop('SIGTERM');
    expect((await pending).status).toBe(200);
    expect(code, a.stdout()).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
