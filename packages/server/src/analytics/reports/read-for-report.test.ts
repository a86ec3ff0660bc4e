import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DIALECTS, createTestDatabase, type TestDatabase } from '../../test-support/test-app.js';
import type { DialectAdapter } from '../../db/dialects/dialect-adapter.js';
import { migrateToLatest } from '../../db/migrate.js';
import { REPORT_WORK_MEM, readForReport } from './read-for-report.js';

for (const dialect of DIALECTS) {
  describe(`a report's queries [${dialect}]`, () => {
    let database: TestDatabase;
    let adapter: DialectAdapter;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      adapter = database.open();
      await migrateToLatest(adapter);
    });
    afterAll(async () => {
      await adapter?.destroy();
      await database?.drop();
    });

    if (dialect === 'postgres') {
      it('run read-only with the report memory, and leave the pool its default afterwards', async () => {
        const setting = (db: DialectAdapter['db']) =>
          sql<{ work_mem: string; read_only: string }>`select current_setting('work_mem') as work_mem,
            current_setting('transaction_read_only') as read_only`.execute(db);
        const before = (await setting(adapter.db)).rows[0]!;
        const inside = await readForReport({ adapter, db: adapter.db }, async (deps) => (await setting(deps.db)).rows[0]!);
        expect(inside).toEqual({ work_mem: REPORT_WORK_MEM, read_only: 'on' });
        await expect(readForReport({ adapter, db: adapter.db }, (deps) => sql`delete from settings`.execute(deps.db))).rejects.toThrow(
          /read-only transaction/,
        );
        // Every connection of the pool, one at a time: none kept the report's setting.
        const after = await Promise.all(Array.from({ length: 4 }, () => setting(adapter.db)));
        for (const row of after) expect(row.rows[0]).toEqual(before);
        expect(before.work_mem).not.toBe(REPORT_WORK_MEM);
      });
    } else {
      it('run on the database as it is', async () => {
        const rows = await readForReport({ adapter, db: adapter.db }, (deps) => sql<{ one: number }>`select 1 as one`.execute(deps.db));
        expect(rows.rows).toEqual([{ one: 1 }]);
      });
    }
  });
}
