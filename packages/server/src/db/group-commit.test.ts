import SQLite from 'better-sqlite3';
import { DatabaseError } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createMigratedDatabase } from '../test-support/test-app.js';
import type { DialectAdapter } from './dialects/dialect-adapter.js';
import { GroupCommit } from './group-commit.js';
import { BatchedQuery } from './batched-query.js';

function diskFull(): DatabaseError {
  const error = new DatabaseError('could not extend file: No space left on device', 0, 'error');
  error.code = '53100';
  return error;
}

for (const dialect of DIALECTS) {
  describe(`group commit [${dialect}]`, () => {
    let adapter: DialectAdapter;
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ adapter, close } = await createMigratedDatabase(dialect));
    });
    afterAll(async () => close?.());

    const insert = (key: string) => (trx: DialectAdapter['db']) =>
      trx
        .insertInto('settings')
        .values({ key, value: 'v' })
        .execute()
        .then(() => key);

    it('commits every concurrent job and answers each only after its commit', async () => {
      const writes = new GroupCommit(adapter.db, { lanes: dialect === 'postgres' ? 4 : 1 });
      const keys = Array.from({ length: 200 }, (_, i) => `gc-${i}`);
      const answered = await Promise.all(keys.map((key) => writes.submit(insert(key), key)));
      expect(answered).toEqual(keys);
      const rows = await adapter.db.selectFrom('settings').select('key').where('key', 'like', 'gc-%').execute();
      expect(rows).toHaveLength(200);
    });

    it('puts the jobs submitted in one turn of the event loop in one transaction', async () => {
      // What ingestion relies on under load: the requests read from the sockets
      // in one turn share a commit (SQLite's driver never yields, so a lane that
      // started at once committed each request alone).
      const writes = new GroupCommit(adapter.db);
      const transactions = await Promise.all(
        ['turn-1', 'turn-2', 'turn-3'].map((key) => writes.submit(async (trx) => (await insert(key)(trx), trx))),
      );
      expect(new Set(transactions).size).toBe(1);
    });

    it('fails only the job that throws; the rest of its batch is kept', async () => {
      const writes = new GroupCommit(adapter.db);
      const results = await Promise.allSettled([
        writes.submit(insert('ok-1')),
        writes.submit(insert('ok-2')),
        writes.submit(insert('ok-1')), // duplicate primary key
        writes.submit(insert('ok-3')),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      const rows = await adapter.db.selectFrom('settings').select('key').where('key', 'like', 'ok-%').orderBy('key').execute();
      expect(rows.map((r) => r.key)).toEqual(['ok-1', 'ok-2', 'ok-3']);
    });

    it('fails every job of a batch at once when storage fails, without running each again, and commits the next batch', async () => {
      let commits = 0;
      const writes = new GroupCommit(adapter.db, { onCommit: () => commits++ });
      let runs = 0;
      const full = dialect === 'sqlite' ? new SQLite.SqliteError('database or disk is full', 'SQLITE_FULL') : diskFull();
      const job = (key: string, fail: boolean) => async (trx: DialectAdapter['db']) => {
        runs++;
        await insert(key)(trx);
        if (fail) throw full;
        return key;
      };
      const results = await Promise.allSettled([
        writes.submit(job('full-1', false)),
        writes.submit(job('full-2', false)),
        writes.submit(job('full-3', true)),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      for (const r of results) expect((r as PromiseRejectedResult).reason).toBe(full);
      expect(runs).toBe(3);
      expect(commits).toBe(0);
      expect(await adapter.db.selectFrom('settings').select('key').where('key', 'like', 'full-%').execute()).toEqual([]);
      // Space is back: the next batch commits.
      expect(await writes.submit(job('full-4', false))).toBe('full-4');
      expect(commits).toBe(1);
    });

    it('keeps the order of jobs with the same key', async () => {
      const writes = new GroupCommit(adapter.db, { lanes: 4 });
      await writes.submit(insert('order'), 'k');
      const updates = Array.from({ length: 50 }, (_, i) =>
        writes.submit(
          (trx) =>
            trx
              .updateTable('settings')
              .set({ value: String(i) })
              .where('key', '=', 'order')
              .execute(),
          'k',
        ),
      );
      await Promise.all(updates);
      const row = await adapter.db.selectFrom('settings').select('value').where('key', '=', 'order').executeTakeFirstOrThrow();
      expect(row.value).toBe('49');
    });

    describe('concurrent lanes (PostgreSQL)', () => {
      const settingValue = async (db: DialectAdapter['db'], key: string) =>
        (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value;

      it('runs one batched statement for the jobs of a transaction, and answers each its own rows', async () => {
        const calls: number[] = [];
        const read = new BatchedQuery<string, string | undefined>(
          async (db, key) => {
            calls.push(1);
            return settingValue(db, key);
          },
          async (db, keys) => {
            calls.push(keys.length);
            const rows = await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', keys).execute();
            return keys.map((key) => rows.find((r) => r.key === key)?.value);
          },
        );
        const writes = new GroupCommit(adapter.db, { concurrent: true });
        const keys = Array.from({ length: 30 }, (_, i) => `batched-${i}`);
        const answers = await Promise.all(
          keys.map((key) =>
            writes.submit(
              async (trx) => {
                await trx
                  .insertInto('settings')
                  .values({ key, value: `v-${key}` })
                  .execute();
                return read.run(trx, key);
              },
              key,
              [key],
            ),
          ),
        );
        expect(answers).toEqual(keys.map((key) => `v-${key}`));
        expect(calls).toEqual([30]);
        // Outside a concurrent transaction, each job reads alone.
        expect(await read.run(adapter.db, 'batched-0')).toBe('v-batched-0');
        expect(calls).toEqual([30, 1]);
      });

      it("runs jobs sharing a conflict key one after the other, so none loses another's update", async () => {
        await adapter.db.insertInto('settings').values({ key: 'counter', value: '0' }).execute();
        const writes = new GroupCommit(adapter.db, { concurrent: true });
        const increment = async (trx: DialectAdapter['db']) => {
          const value = Number(await settingValue(trx, 'counter'));
          await new Promise((resolve) => setImmediate(resolve));
          await trx
            .updateTable('settings')
            .set({ value: String(value + 1) })
            .where('key', '=', 'counter')
            .execute();
        };
        await Promise.all(Array.from({ length: 20 }, (_, i) => writes.submit(increment, 'c', ['counter', `other-${i}`])));
        expect(await settingValue(adapter.db, 'counter')).toBe('20');
      });

      it('runs a job without conflict keys alone, between the jobs before and after it', async () => {
        const order: string[] = [];
        const writes = new GroupCommit(adapter.db, { concurrent: true });
        const job = (name: string) => async () => {
          order.push(`start ${name}`);
          await new Promise((resolve) => setImmediate(resolve));
          order.push(`end ${name}`);
        };
        await Promise.all([
          writes.submit(job('a'), '', ['a']),
          writes.submit(job('b'), '', ['b']),
          writes.submit(job('alone')),
          writes.submit(job('c'), '', ['c']),
        ]);
        expect(order).toEqual(['start a', 'start b', 'end a', 'end b', 'start alone', 'end alone', 'start c', 'end c']);
      });

      it('reruns each job in its own transaction when one of a concurrent batch fails', async () => {
        const writes = new GroupCommit(adapter.db, { concurrent: true });
        const results = await Promise.allSettled(
          ['fail-1', 'fail-2', 'fail-1', 'fail-3'].map((key, i) => writes.submit(insert(key), key, [`job-${i}`])),
        );
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
        const rows = await adapter.db.selectFrom('settings').select('key').where('key', 'like', 'fail-%').orderBy('key').execute();
        expect(rows.map((r) => r.key)).toEqual(['fail-1', 'fail-2', 'fail-3']);
      });
    });
  });
}
