import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DestinationStream } from 'pino';
import { loadConfig, type ConfigOverrides } from '../config/config.js';
import type { DashboardApp } from '../dashboard-app/dashboard-app.js';
import { createApp, type LumioApp } from '../app/create-app.js';
import { createPostgresAdapter } from '../db/dialects/postgres-dialect.js';
import { createSqliteAdapter } from '../db/dialects/sqlite-dialect.js';
import type { DialectAdapter, DialectName } from '../db/dialects/dialect-adapter.js';
import { migrateToLatest } from '../db/migrate.js';

/** The dialects every storage test runs against: SQLite always, PostgreSQL when LUMIO_TEST_DATABASE_URL is set. */
export const DIALECTS: DialectName[] = process.env.LUMIO_TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/** A clock tests can move forward. */
export class TestClock {
  constructor(public current = Date.UTC(2026, 10, 21, 12, 0, 0)) {}
  now = () => this.current;
  advance(ms: number): void {
    this.current += ms;
  }
}

/** A fresh database of a dialect: a temp SQLite file, or a new PostgreSQL schema. */
export interface TestDatabase {
  dialect: DialectName;
  dataDir: string;
  /** Opens another adapter on the same database (a second server process). */
  open(): DialectAdapter;
  sqliteFile: string | undefined;
  drop(): Promise<void>;
}

/** Creates an empty database for a test suite. */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-test-'));
  if (dialect === 'sqlite') {
    const file = path.join(dataDir, 'lumio.db');
    return {
      dialect,
      dataDir,
      sqliteFile: file,
      open: () => createSqliteAdapter(file),
      drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const url = process.env.LUMIO_TEST_DATABASE_URL!;
  const schema = `lumio_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  return {
    dialect,
    dataDir,
    sqliteFile: undefined,
    open: () => createPostgresAdapter({ connectionString: url, schema, maxConnections: 5 }),
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An empty, migrated database of a dialect and an open adapter on it, for storage-level tests. */
export async function createMigratedDatabase(dialect: DialectName): Promise<{ adapter: DialectAdapter; close(): Promise<void> }> {
  const database = await createTestDatabase(dialect);
  const adapter = database.open();
  await migrateToLatest(adapter);
  return {
    adapter,
    async close() {
      await adapter.destroy();
      await database.drop();
    },
  };
}

/** A Lumio app on a test database, with its clock and shared master key. */
export interface TestApp extends LumioApp {
  clock: TestClock;
  database: TestDatabase;
  masterKey: string;
  adapter: DialectAdapter;
}

/** Builds an app on `database` (or a new one); several apps may share one database and key. */
export async function createTestApp(
  dialect: DialectName,
  options: {
    database?: TestDatabase;
    masterKey?: string;
    clock?: TestClock;
    config?: ConfigOverrides;
    env?: Record<string, string>;
    dashboard?: DashboardApp;
    /** Where log lines go (set LUMIO_LOG_LEVEL in `env` to see them). */
    logDestination?: DestinationStream;
  } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase(dialect));
  const masterKey = options.masterKey ?? crypto.randomBytes(32).toString('base64');
  const clock = options.clock ?? new TestClock();
  const config = loadConfig(
    // Webhooks are not sent unless a test asks (LUMIO_WEBHOOK_DELIVERY=true): a dispatcher in every test app
    // would race the tests that read and change delivery rows.
    {
      LUMIO_DATA_DIR: database.dataDir,
      LUMIO_MASTER_KEY: masterKey,
      LUMIO_LOG_LEVEL: 'silent',
      LUMIO_WEBHOOK_DELIVERY: 'false',
      ...options.env,
    },
    options.config ?? {},
  );
  const adapter = database.open();
  const lumio = await createApp({
    config,
    adapter,
    clock,
    defaultMetrics: false,
    ...(options.dashboard ? { dashboard: options.dashboard } : {}),
    ...(options.logDestination ? { logDestination: options.logDestination } : {}),
  });
  await lumio.app.ready();
  const ownsDatabase = !options.database;
  return {
    ...lumio,
    clock,
    database,
    masterKey,
    adapter,
    async close() {
      await lumio.close();
      await adapter.destroy();
      if (ownsDatabase) await database.drop();
    },
  };
}
