import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServerProcess, type ServerProcess } from '../test-support/server-process.js';
import { insertWebhookEndpoint, insertWorkspace, startWebhookReceiver, type WebhookReceiver } from '../test-support/webhook-receiver.js';
import { DIALECTS } from '../test-support/test-app.js';
import { createPostgresAdapter } from '../db/dialects/postgres-dialect.js';
import { decodeMasterKey } from '../crypto/master-key.js';
import { SecretBox } from '../crypto/secret-box.js';
import { recordWebhookEvent, webhookEndpointsOf } from './webhook-outbox.js';

const url = process.env.LUMIO_TEST_DATABASE_URL;
const DIST = new URL('../../dist/', import.meta.url).href;

/** A fresh PostgreSQL database (server processes take a URL, not a schema); dropped by the returned function. */
async function createDatabase(): Promise<{ databaseUrl: string; drop(): Promise<void> }> {
  const database = `lumio_wh_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${database}`);
  await admin.end();
  const parsed = new URL(url!);
  parsed.pathname = `/${database}`;
  return {
    databaseUrl: parsed.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${database} with (force)`);
      await c.end();
    },
  };
}

function verify(secret: string, header: string, body: string): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  return parts.v1 === crypto.createHmac('sha256', secret).update(`${parts.t}.${body}`).digest('hex');
}

// A Lumio process (the built server) that commits an endpoint and an event, says so, and
// waits to be killed. Its sending is off, so the kill always falls between commit and delivery.
const COMMITTER = `
const { loadConfig } = await import('${DIST}config/config.js');
const { createApp } = await import('${DIST}app/create-app.js');
const { recordWebhookEvent } = await import('${DIST}webhooks/webhook-outbox.js');
const { sealWebhookSecret, newWebhookSecret } = await import('${DIST}webhooks/webhook-signature.js');
const lumio = await createApp({ config: loadConfig(process.env), defaultMetrics: false });
const db = lumio.deps.db;
const now = Date.now();
const ws = 'ws_crash_' + now;
await db.insertInto('workspaces').values({ id: ws, name: 'Crash', created_at: now, browser_visible_keys: lumio.deps.adapter.json([]) }).execute();
const endpointId = 'whe_crash_' + now;
const secret = newWebhookSecret();
await db.insertInto('webhook_endpoints').values({ id: endpointId, workspace_id: ws, url: process.env.RECEIVER_URL, events: lumio.deps.adapter.json(['*']),
  secret_ciphertext: sealWebhookSecret(lumio.deps.secretBox, endpointId, secret), created_at: now, updated_at: now }).execute();
const eventId = await db.transaction().execute((trx) => recordWebhookEvent(trx, ws, 'user.created', { user: { id: 'crash-user' } }, now));
process.stdout.write(JSON.stringify({ eventId, secret }) + '\\n');
setInterval(() => {}, 1000);
`;

for (const dialect of DIALECTS) {
  describe(`webhooks survive kill -9 between commit and delivery (${dialect})`, () => {
    let receiver: WebhookReceiver;
    let server: ServerProcess | undefined;
    let env: Record<string, string>;
    let drop = async () => {};
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-wh-crash-'));

    beforeAll(async () => {
      receiver = await startWebhookReceiver();
      env = {
        LUMIO_MASTER_KEY: crypto.randomBytes(32).toString('base64'),
        LUMIO_DATA_DIR: dataDir,
        LUMIO_DEMO: 'false',
        LUMIO_LOG_LEVEL: 'warn',
      };
      if (dialect === 'postgres') {
        const database = await createDatabase();
        env.DATABASE_URL = database.databaseUrl;
        drop = database.drop;
      }
    });
    afterAll(async () => {
      await server?.stop();
      await receiver?.close();
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('a new process delivers the committed event once, signed, after the one that committed it was killed', async () => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', COMMITTER], {
        env: { ...process.env, ...env, LUMIO_WEBHOOK_DELIVERY: 'false', RECEIVER_URL: receiver.url },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      await expect.poll(() => out.includes('\n') || child.exitCode !== null, { timeout: 20_000, interval: 20 }).toBe(true);
      expect(child.exitCode, err).toBeNull();
      const exited = new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const { eventId, secret } = JSON.parse(out) as { eventId: string; secret: string };
      expect(eventId).toMatch(/^evt_/);
      expect(receiver.receipts).toHaveLength(0);

      server = await startServerProcess({ ...env, LUMIO_WEBHOOK_ALLOW_PRIVATE: 'true' }, await freePort());
      await expect.poll(() => receiver.receipts.length, { timeout: 10_000, interval: 50 }).toBe(1);
      const [receipt] = receiver.receipts;
      expect(receipt!.headers['lumio-event-id']).toBe(eventId);
      expect(JSON.parse(receipt!.body)).toMatchObject({ id: eventId, type: 'user.created', data: { user: { id: 'crash-user' } } });
      expect(verify(secret, receipt!.headers['lumio-signature'] as string, receipt!.body)).toBe(true);
      // Sent once: a few more polls bring nothing.
      await new Promise((r) => setTimeout(r, 2500));
      expect(receiver.receipts).toHaveLength(1);
    }, 60_000);
  });
}

describe.runIf(url)('two server processes on one PostgreSQL send each delivery once', () => {
  let receiver: WebhookReceiver;
  const servers: ServerProcess[] = [];
  let database: Awaited<ReturnType<typeof createDatabase>>;
  const masterKey = crypto.randomBytes(32).toString('base64');

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    database = await createDatabase();
    const env = {
      DATABASE_URL: database.databaseUrl,
      LUMIO_MASTER_KEY: masterKey,
      LUMIO_DATA_DIR: `/tmp/${path.basename(new URL(database.databaseUrl).pathname)}`,
      LUMIO_WEBHOOK_ALLOW_PRIVATE: 'true',
    };
    // One after the other: both migrate the same database.
    servers.push(await startServerProcess(env, await freePort()));
    servers.push(await startServerProcess(env, await freePort()));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await receiver?.close();
    await database?.drop();
  });

  it('800 deliveries (200 events × 4 endpoints) are each received exactly once', async () => {
    // Answers take a moment, so both processes are sending at the same time.
    receiver.delayMs = 20;
    const adapter = createPostgresAdapter({ connectionString: database.databaseUrl, maxConnections: 2 });
    try {
      const json = (v: unknown) => adapter.json(v);
      const box = new SecretBox(decodeMasterKey(masterKey));
      const ws = await insertWorkspace(adapter.db, json);
      for (let i = 0; i < 4; i++) await insertWebhookEndpoint(adapter.db, box, ws, `${receiver.url}?endpoint=${i}`, { json });
      const endpoints = await webhookEndpointsOf(adapter.db, ws);
      // One commit: every delivery is due at the same moment in both processes.
      await adapter.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 200; i++) await recordWebhookEvent(trx, ws, 'user.updated', { user: { id: `u${i}` } }, Date.now(), endpoints);
      });
      await expect.poll(() => receiver.receipts.length, { timeout: 60_000, interval: 200 }).toBeGreaterThanOrEqual(800);
      // Any late duplicate would come within a poll or two.
      await new Promise((r) => setTimeout(r, 2500));
      const keys = receiver.receipts.map((r) => `${r.headers['lumio-event-id']}|${r.url}`);
      expect(keys).toHaveLength(800);
      expect(new Set(keys).size).toBe(800);
      const states = await adapter.db
        .selectFrom('webhook_deliveries')
        .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
        .groupBy('state')
        .execute();
      expect(states.map((s) => [s.state, Number(s.n)])).toEqual([['succeeded', 800]]);
    } finally {
      await adapter.destroy();
    }
  }, 120_000);
});
