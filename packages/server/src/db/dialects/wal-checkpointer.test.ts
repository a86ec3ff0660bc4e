import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../group-commit.js';
import { createSqliteAdapter } from './sqlite-dialect.js';

// SQLite only: PostgreSQL checkpoints on its own.
describe('SQLite background checkpoints', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  function open(options: Parameters<typeof createSqliteAdapter>[1]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-wal-'));
    dirs.push(dir);
    const file = path.join(dir, 'lumio.db');
    return { file, adapter: createSqliteAdapter(file, options) };
  }

  const filler = 'x'.repeat(2_000);
  async function write(adapter: ReturnType<typeof createSqliteAdapter>, transactions: number): Promise<void> {
    for (let t = 0; t < transactions; t++)
      await adapter.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 20; i++) await sql`insert into t (body) values (${filler})`.execute(trx);
      });
  }

  const size = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);
  const until = async (check: () => boolean, ms = 5_000) => {
    for (const stop = Date.now() + ms; !check() && Date.now() < stop;) await new Promise((r) => setTimeout(r, 20));
    return check();
  };

  it('moves committed pages into the database from another thread, never in a commit, and keeps the WAL bounded', async () => {
    const { file, adapter } = open({ backgroundCheckpoints: { intervalMs: 20, restartFrames: 300 } });
    await sql`create table t (id integer primary key, body text not null)`.execute(adapter.db);
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(adapter.db);
    expect(rows[0]!.wal_autocheckpoint).toBe(0);

    // About 6 MB: past SQLite's own 1,000-page threshold and the restart threshold many times over.
    let largestWal = 0;
    for (let round = 0; round < 15; round++) {
      await write(adapter, 10);
      largestWal = Math.max(largestWal, size(`${file}-wal`));
      await new Promise((r) => setTimeout(r, 30));
    }
    // The worker copied the pages into the database file while the WAL stayed far below everything written.
    expect(await until(() => size(file) > 5_000_000)).toBe(true);
    expect(largestWal).toBeLessThan(4_000_000);

    await adapter.destroy();
    // Closed cleanly: the last connection checkpointed and removed the WAL; every row is there.
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    const reopened = createSqliteAdapter(file);
    const { rows: count } = await sql<{ n: number }>`select count(*) as n from t`.execute(reopened.db);
    expect(count[0]!.n).toBe(15 * 10 * 20);
    await reopened.destroy();
  });

  it('pauses the group commit while it checkpoints to the end of the WAL, so the WAL starts over', async () => {
    const { file, adapter } = open({ backgroundCheckpoints: { intervalMs: 10, restartFrames: 200 } });
    await sql`create table t (id integer primary key, body text not null)`.execute(adapter.db);
    const writes = new GroupCommit(adapter.db, { gate: adapter.writeGate });
    // The worker thread takes a moment to start (it loads the driver and opens the file).
    await new Promise((r) => setTimeout(r, 300));
    let paused = 0;
    let startedWhilePaused = 0;
    let largestWal = 0;
    // Writers that never stop until 24 MB are written, 8 at a time, and on (up
    // to 120 MB) until the worker has paused them once: on a loaded machine its
    // thread may be slow to get a core.
    let jobs = 0;
    let done = 0;
    const writer = async () => {
      while (jobs++ < 1_200 || (paused === 0 && jobs < 6_000)) {
        if (adapter.writeGate?.()) paused++;
        await writes.submit(async (trx) => {
          if (adapter.writeGate?.()) startedWhilePaused++;
          for (let i = 0; i < 10; i++) await sql`insert into t (body) values (${filler})`.execute(trx);
        });
        done++;
        largestWal = Math.max(largestWal, size(`${file}-wal`));
        await new Promise((r) => setTimeout(r, 1));
      }
    };
    await Promise.all(Array.from({ length: 8 }, writer));
    expect(paused).toBeGreaterThan(0);
    expect(startedWhilePaused).toBe(0);
    // Without restarts the WAL holds everything written since the start; with
    // them it is cut back every ~200 pages (the fallback restart is at 4×).
    const { rows } = await sql<{ n: number }>`select count(*) as n from t`.execute(adapter.db);
    const written = rows[0]!.n * 2_000;
    expect(written).toBe(done * 10 * 2_000);
    expect(done).toBeGreaterThanOrEqual(1_200);
    expect(largestWal).toBeLessThan(written / 3);
    expect(size(file)).toBeGreaterThan(written / 2);
    await adapter.destroy();
  });

  it('leaves checkpoints to SQLite when not asked for', async () => {
    const { adapter } = open({});
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(adapter.db);
    expect(rows[0]!.wal_autocheckpoint).toBe(1000);
    await adapter.destroy();
  });
});
