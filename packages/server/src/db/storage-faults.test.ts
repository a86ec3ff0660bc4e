import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg, { DatabaseError } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, createTestDatabase, type TestApp, type TestDatabase } from '../test-support/test-app.js';
import { call, createWidget, setupOwner, type Session } from '../test-support/api-helpers.js';
import { captureLines, lostWrites, newTally, sendWrites, type WriteTally } from '../test-support/storage-workload.js';
import type { DialectName } from './dialects/dialect-adapter.js';
import { createSqliteAdapter } from './dialects/sqlite-dialect.js';
import { READINESS_PROBE_KEY } from '../ops/readiness.js';

// The workload is many requests from one IP in seconds: limits must not decide the answers.
const OPEN_LIMITS = {
  identifyPerIpPerMinute: 100_000,
  identifyPerWidgetPerMinute: 100_000,
  eventBatchesPerIpPerMinute: 100_000,
  eventsPerWorkspacePerMinute: 1_000_000,
};

/** An app on `database` whose log lines go to `log`, with its owner and a widget. */
async function startApp(dialect: DialectName, database: TestDatabase, log: ReturnType<typeof captureLines>) {
  const t = await createTestApp(dialect, {
    database,
    env: { LUMIO_LOG_LEVEL: 'info' },
    logDestination: log.destination,
    config: { rateLimits: OPEN_LIMITS },
  });
  const owner = await setupOwner(t);
  return { t, owner, widget: await createWidget(t, owner) };
}

// A real full disk needs a small tmpfs, which only root (or CAP_SYS_ADMIN) may mount.
const tmpfsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-tmpfs-'));
const canMount = (() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', tmpfsDir], { stdio: 'pipe' });
    execFileSync('umount', [tmpfsDir], { stdio: 'pipe' });
    return true;
  } catch (error) {
    fs.rmSync(tmpfsDir, { recursive: true, force: true });
    console.warn(
      `storage-faults: skipping the real full-disk test, cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]})`,
    );
    return false;
  }
})();

/** Fills the file system of `dir` to the last byte with a filler file, and returns a way to give the space back. */
function fillDisk(dir: string): () => void {
  const filler = path.join(dir, 'filler');
  const fd = fs.openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (let size = chunk.length; size >= 1;) {
      try {
        fs.writeSync(fd, chunk, 0, size);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        size = Math.floor(size / 2);
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return () => fs.rmSync(filler);
}

const storageLines = (lines: string[]) => lines.filter((l) => l.includes('storage unavailable'));

/** The figures of one outage, printed for the report in issue 15 (old code vs new). */
function report(label: string, tally: WriteTally, lines: string[], lost: { users: string[]; events: string[] }) {
  const figures = {
    statuses: tally.statuses,
    logLines: lines.filter((l) => /"level":(50|40)/.test(l)).length,
    cannotRollbackLines: lines.filter((l) => l.includes('cannot rollback')).length,
    storageUnavailableLines: storageLines(lines).length,
    acknowledged: tally.acknowledged.userIds.length + tally.acknowledged.eventIds.length,
    acknowledgedLost: lost.users.length + lost.events.length,
  };
  console.log(`[storage-faults] ${label}: ${JSON.stringify(figures)}`);
}

describe.skipIf(!canMount)('storage faults: a real full disk (SQLite on a 16 MiB tmpfs)', () => {
  let database: TestDatabase;
  let t: TestApp;
  let owner: Session;
  let widget: { widgetId: string; secret: string };
  const log = captureLines();

  beforeAll(async () => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', tmpfsDir]);
    const dataDir = path.join(tmpfsDir, 'data');
    const file = path.join(dataDir, 'lumio.db');
    database = {
      dialect: 'sqlite',
      dataDir,
      sqliteFile: file,
      // As `lumio start` opens it: checkpoints in a worker thread.
      open: () => createSqliteAdapter(file, { backgroundCheckpoints: true }),
      drop: async () => undefined,
    };
    ({ t, owner, widget } = await startApp('sqlite', database, log));
  });
  afterAll(async () => {
    await t?.close();
    execFileSync('umount', ['--lazy', tmpfsDir]);
    fs.rmSync(tmpfsDir, { recursive: true, force: true });
  });

  it('answers 503 storage_unavailable while the disk is full, logs the cause a bounded number of times, loses nothing acknowledged, and recovers when space returns', async () => {
    const tally = newTally();
    await sendWrites(t, widget, tally, { rounds: 2, perRound: 10 });
    expect(tally.statuses).toEqual({ 200: 40 });

    // An empty WAL, so that every commit needs room the disk no longer has
    // (with pages free in the WAL, small commits still fit while the disk is full).
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(t.deps.db);
    const freeSpace = fillDisk(tmpfsDir);
    const full = newTally();
    try {
      await sendWrites(t, widget, full, { rounds: 30, perRound: 10 });
      const ready = await call(t.app, { method: 'GET', url: '/readyz' });
      const alive = await call(t.app, { method: 'GET', url: '/healthz' });
      report('disk full', full, log.lines, await lostWrites(t, owner.workspaceId, full));
      expect(full.unexpected).toEqual([]);
      expect(full.statuses).toEqual({ 503: 600 });
      expect(ready.status).toBe(503);
      expect(ready.headers['retry-after']).toBe('5');
      expect(ready.body.error).toMatchObject({ code: 'storage_unavailable', details: { reason: 'disk_full' } });
      expect(alive.status).toBe(200);
      // The cause, SQLite's own words, once (the outage is shorter than the 30 s interval), and nothing else.
      expect(storageLines(log.lines).length).toBe(1);
      expect(storageLines(log.lines)[0]).toMatch(/SQLITE_FULL/);
      expect(log.lines.filter((l) => l.includes('cannot rollback'))).toEqual([]);
      expect(log.lines.filter((l) => l.includes('unhandled error'))).toEqual([]);
    } finally {
      freeSpace();
    }

    // Space is back: the very next writes succeed, with no restart.
    const after = newTally();
    await sendWrites(t, widget, after, { rounds: 2, perRound: 10 });
    expect(after.statuses).toEqual({ 200: 40 });
    await new Promise((r) => setTimeout(r, 1100)); // the readiness answer is cached for a second
    expect((await call(t.app, { method: 'GET', url: '/readyz' })).status).toBe(200);
    expect(log.lines.filter((l) => l.includes('storage available again'))).toHaveLength(1);

    for (const tallied of [tally, full, after]) expect(await lostWrites(t, owner.workspaceId, tallied)).toEqual({ users: [], events: [] });
  });
});

const WRITE = /^\s*(insert|update|delete)\b/i;

/**
 * Fault injection at the driver's own API (better-sqlite3's Statement#run,
 * pg's Client#query): while `faults.error` is set, every insert, update and
 * delete throws it instead of running, as the driver does on a full disk.
 * Everything above the driver (Kysely, the group commit, the services, the
 * error handler) runs for real. Counts the readiness probe's writes.
 */
function injectDriverFaults(dialect: DialectName) {
  const faults = { error: undefined as Error | undefined, probes: 0 };
  const seen = (text: string) => {
    if (!WRITE.test(text)) return false;
    if (/settings/.test(text)) faults.probes++;
    return faults.error !== undefined;
  };
  if (dialect === 'sqlite') {
    const probe = new SQLite(':memory:');
    type Method = (...args: unknown[]) => unknown;
    const Statement = Object.getPrototypeOf(probe.prepare('select 1')) as { run: Method; all: Method };
    probe.close();
    // A write with RETURNING runs through all(), the others through run().
    const original = { run: Statement.run, all: Statement.all };
    for (const name of ['run', 'all'] as const) {
      Statement[name] = function (this: { source: string }, ...args: unknown[]) {
        if (seen(this.source)) throw faults.error;
        return original[name].apply(this, args);
      };
    }
    return { faults, restore: () => void Object.assign(Statement, original) };
  }
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '');
    if (seen(text)) return Promise.reject(faults.error);
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  return { faults, restore: () => void (pg.Client.prototype.query = query) };
}

/** The error each driver raises for a full disk. */
function diskFullError(dialect: DialectName): Error {
  if (dialect === 'sqlite') return new SQLite.SqliteError('database or disk is full', 'SQLITE_FULL');
  const error = new DatabaseError('could not extend file "base/16384/16397": No space left on device', 0, 'error');
  error.code = '53100';
  return error;
}

for (const dialect of DIALECTS) {
  describe(`storage faults: injected [${dialect}]`, () => {
    let database: TestDatabase;
    let t: TestApp;
    let owner: Session;
    let widget: { widgetId: string; secret: string };
    const { faults, restore } = injectDriverFaults(dialect);
    const log = captureLines();

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      ({ t, owner, widget } = await startApp(dialect, database, log));
    });
    afterAll(async () => {
      restore();
      await t?.close();
      await database?.drop();
    });

    it('answers every failed write 503 storage_unavailable with Retry-After, logs once, and recovers by itself', async () => {
      // Accepted writes leave identity log entries and catalogue observations buffered for a background flush.
      const before = newTally();
      await sendWrites(t, widget, before, { rounds: 1, perRound: 5 });
      expect(before.statuses).toEqual({ 200: 10 });
      faults.error = diskFullError(dialect);
      const full = newTally();
      try {
        await sendWrites(t, widget, full, { rounds: 10, perRound: 10 });
        // The background writers fail too, and are reported within the same interval, not on lines of their own.
        await t.services.identityLog.flush();
        await t.services.catalogue.flush();
      } finally {
        faults.error = undefined;
      }
      expect(full.unexpected).toEqual([]);
      expect(full.statuses[503]).toBe(200);
      expect(storageLines(log.lines)).toHaveLength(1);
      expect(storageLines(log.lines)[0]).toContain(dialect === 'sqlite' ? 'SQLITE_FULL' : '53100');
      expect(storageLines(log.lines)[0]).toContain('free space on the disk');
      expect(log.lines.filter((l) => l.includes('"level":50'))).toHaveLength(1);
      expect(t.deps.storageHealth.current).toMatchObject({ kind: 'disk_full' });

      const after = newTally();
      await sendWrites(t, widget, after, { rounds: 1, perRound: 10 });
      expect(after.statuses).toEqual({ 200: 20 });
      expect(t.deps.storageHealth.current).toBeUndefined();
      expect(await lostWrites(t, owner.workspaceId, after)).toEqual({ users: [], events: [] });
      expect(await lostWrites(t, owner.workspaceId, full)).toEqual({ users: [], events: [] });
      expect(await lostWrites(t, owner.workspaceId, before)).toEqual({ users: [], events: [] });
    });

    it('/readyz probes a real write, at most once a second, and says 503 storage_unavailable while writes fail; /healthz stays 200', async () => {
      await new Promise((r) => setTimeout(r, 1100));
      const before = faults.probes;
      const ready = await Promise.all(Array.from({ length: 20 }, () => call(t.app, { method: 'GET', url: '/readyz' })));
      expect(
        ready.map((r) => r.status),
        JSON.stringify(ready[0]!.body),
      ).toEqual(Array(20).fill(200));
      expect(ready[0]!.body).toEqual({ status: 'ready', database: dialect });
      expect(faults.probes - before).toBe(1);
      const row = await t.deps.db.selectFrom('settings').select('value').where('key', '=', READINESS_PROBE_KEY).executeTakeFirst();
      expect(row?.value).toMatch(/^\d{4}-/);

      faults.error = diskFullError(dialect);
      try {
        // Within the second, the cached answer stands; after it, the probe finds the fault.
        expect((await call(t.app, { method: 'GET', url: '/readyz' })).status).toBe(200);
        await new Promise((r) => setTimeout(r, 1100));
        const down = await call(t.app, { method: 'GET', url: '/readyz' });
        expect(down.status).toBe(503);
        expect(down.headers['retry-after']).toBe('5');
        expect(down.body.error).toMatchObject({ code: 'storage_unavailable', details: { reason: 'disk_full' } });
        expect((await call(t.app, { method: 'GET', url: '/healthz' })).status).toBe(200);
      } finally {
        faults.error = undefined;
      }
      await new Promise((r) => setTimeout(r, 1100));
      expect((await call(t.app, { method: 'GET', url: '/readyz' })).status).toBe(200);
      expect(t.deps.storageHealth.current).toBeUndefined();
    });
  });
}
