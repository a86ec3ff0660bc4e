import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg, { DatabaseError } from 'pg';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyStorageFault } from './storage-fault.js';
import { StorageHealth } from './storage-health.js';
import { createPostgresAdapter } from './dialects/postgres-dialect.js';

const PG_URL = process.env.LUMIO_TEST_DATABASE_URL;

/** The error a callback throws, or fails the test when it does not throw. */
async function thrown(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function pgError(code: string, message: string): DatabaseError {
  const error = new DatabaseError(message, 0, 'error');
  error.code = code;
  return error;
}

describe('storage fault classification', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-fault-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('recognises SQLite faults by their (extended) result codes, from the real driver where one can be provoked', async () => {
    const file = path.join(dir, 'ro.db');
    const writer = new SQLite(file);
    writer.exec('create table t (x integer primary key)');
    writer.close();
    const reader = new SQLite(file, { readonly: true });
    const readOnly = await thrown(() => reader.prepare('insert into t values (1)').run());
    reader.close();
    expect(classifyStorageFault(readOnly)).toMatchObject({ kind: 'read_only', code: 'SQLITE_READONLY' });
    // A directory where the database file should be.
    const cantOpen = await thrown(() => new SQLite(dir).exec('create table t (x)'));
    expect(classifyStorageFault(cantOpen)).toMatchObject({ kind: 'io_error', code: 'SQLITE_CANTOPEN' });

    expect(classifyStorageFault(new SQLite.SqliteError('database or disk is full', 'SQLITE_FULL'))).toMatchObject({ kind: 'disk_full' });
    expect(classifyStorageFault(new SQLite.SqliteError('disk I/O error', 'SQLITE_IOERR_WRITE'))).toMatchObject({ kind: 'io_error' });
    expect(classifyStorageFault(new SQLite.SqliteError('x', 'SQLITE_READONLY_DBMOVED'))).toMatchObject({ kind: 'read_only' });
    expect(classifyStorageFault(new SQLite.SqliteError('unable to open database file', 'SQLITE_CANTOPEN'))).toMatchObject({
      kind: 'io_error',
    });
  });

  it('leaves everything else alone: constraint violations, busy, bugs', async () => {
    const db = new SQLite(':memory:');
    db.exec('create table t (x integer primary key)');
    db.prepare('insert into t values (1)').run();
    const duplicate = await thrown(() => db.prepare('insert into t values (1)').run());
    const syntax = await thrown(() => db.prepare('insert into nowhere values (1)').run());
    db.close();
    expect(classifyStorageFault(duplicate)).toBeUndefined();
    expect(classifyStorageFault(syntax)).toBeUndefined();
    expect(classifyStorageFault(new SQLite.SqliteError('database is locked', 'SQLITE_BUSY'))).toBeUndefined();
    expect(classifyStorageFault(pgError('23505', 'duplicate key value violates unique constraint'))).toBeUndefined();
    expect(classifyStorageFault(pgError('22P05', 'unsupported Unicode escape sequence'))).toBeUndefined();
    expect(classifyStorageFault(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBeUndefined();
    expect(classifyStorageFault(undefined)).toBeUndefined();
    expect(classifyStorageFault('SQLITE_FULL')).toBeUndefined();
  });

  it('recognises PostgreSQL faults by SQLSTATE, and connection failures by errno, through causes and AggregateErrors', async () => {
    expect(classifyStorageFault(pgError('53100', 'could not extend file: No space left on device'))).toMatchObject({
      kind: 'disk_full',
      code: '53100',
    });
    expect(classifyStorageFault(pgError('25006', 'cannot execute INSERT in a read-only transaction'))).toMatchObject({ kind: 'read_only' });
    expect(classifyStorageFault(pgError('57P01', 'terminating connection due to administrator command'))).toMatchObject({
      kind: 'unreachable',
    });
    expect(classifyStorageFault(pgError('08006', 'connection failure'))).toMatchObject({ kind: 'unreachable' });
    expect(classifyStorageFault(pgError('58030', 'could not write to file'))).toMatchObject({ kind: 'io_error' });
    expect(classifyStorageFault(new Error('Connection terminated unexpectedly'))).toMatchObject({ kind: 'unreachable' });

    // A real refused connection (nothing listens on port 1).
    const client = new pg.Client({ connectionString: 'postgres://lumio:secret@127.0.0.1:1/lumio' });
    const refused = await thrown(() => client.connect());
    expect(classifyStorageFault(refused)).toMatchObject({ kind: 'unreachable', code: 'ECONNREFUSED' });
    expect(classifyStorageFault(new Error('query failed', { cause: refused }))).toMatchObject({ code: 'ECONNREFUSED' });
    expect(classifyStorageFault(new AggregateError([new Error('x'), refused]))).toMatchObject({ code: 'ECONNREFUSED' });
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(classifyStorageFault(enospc)).toMatchObject({ kind: 'disk_full' });
  });

  it.skipIf(!PG_URL)('classifies the real PostgreSQL errors of a read-only transaction and a terminated backend', async () => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      await client.query('begin transaction read only');
      const readOnly = await thrown(() => client.query('create table lumio_never (x int)'));
      await client.query('rollback');
      expect(classifyStorageFault(readOnly)).toMatchObject({ kind: 'read_only', code: '25006' });
      client.on('error', () => undefined);
      const terminated = await thrown(() => client.query('select pg_terminate_backend(pg_backend_pid())'));
      expect(classifyStorageFault(terminated)).toMatchObject({ kind: 'unreachable' });
    } finally {
      await client.end().catch(() => undefined);
    }
  });
});

describe.skipIf(!PG_URL)('PostgreSQL pool', () => {
  it('survives an idle connection being terminated (no crash), reports it, and opens a new one', async () => {
    const idleErrors: Error[] = [];
    const adapter = createPostgresAdapter({ connectionString: PG_URL!, maxConnections: 1, onIdleError: (e) => idleErrors.push(e) });
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(adapter.db);
      // The pooled connection is idle now: kill it from outside, as a PostgreSQL restart would.
      await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
      for (let i = 0; i < 100 && idleErrors.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(idleErrors).toHaveLength(1);
      expect(classifyStorageFault(idleErrors[0])).toMatchObject({ kind: 'unreachable' });
      const again = await sql<{ one: number }>`select 1 as one`.execute(adapter.db);
      expect(again.rows[0]!.one).toBe(1);
    } finally {
      await admin.end();
      await adapter.destroy();
    }
  });
});

describe('storage health', () => {
  const logger = () => {
    const lines: Array<{ level: string; fields: Record<string, unknown>; message: string }> = [];
    return {
      lines,
      error: (fields: Record<string, unknown>, message: string) => lines.push({ level: 'error', fields, message }),
      info: (fields: Record<string, unknown>, message: string) => lines.push({ level: 'info', fields, message }),
    };
  };
  const full = { kind: 'disk_full' as const, code: 'SQLITE_FULL', message: 'database or disk is full' };

  it('logs a continuing fault once per interval with the count of repeats left out, and its end once', () => {
    let now = 0;
    const log = logger();
    const health = new StorageHealth(log as never, { intervalMs: 30_000, now: () => now });
    for (let i = 0; i < 1000; i++) {
      health.recordFault(full);
      now += 65; // 1,000 failed requests over 65 s
    }
    expect(log.lines.map((l) => l.level)).toEqual(['error', 'error', 'error']);
    expect(log.lines[0]!.message).toMatch(/^storage unavailable: database or disk is full \(SQLITE_FULL\); free space/);
    expect(log.lines[1]!.fields.repeatsNotLogged).toBeGreaterThan(400);
    expect(health.current).toMatchObject({ kind: 'disk_full', since: 0 });

    // Flapping (small commits fit, others do not) adds no lines within the interval.
    for (let i = 0; i < 100; i++) {
      health.recordSuccess();
      health.recordFault(full);
      now += 10;
    }
    expect(log.lines.filter((l) => l.level === 'error')).toHaveLength(3);
    expect(log.lines.filter((l) => l.level === 'info')).toHaveLength(1);
    health.recordSuccess();
    expect(health.current).toBeUndefined();
  });

  it('records only storage faults for background writers', () => {
    const log = logger();
    const health = new StorageHealth(log as never);
    expect(health.recordIfFault(new SQLite.SqliteError('database or disk is full', 'SQLITE_FULL'), { writer: 'identity log' })).toBe(true);
    expect(health.recordIfFault(new Error('a bug'))).toBe(false);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]!.fields.writer).toBe('identity log');
  });
});
