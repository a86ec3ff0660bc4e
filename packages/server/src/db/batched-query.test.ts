import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createMigratedDatabase } from '../test-support/test-app.js';
import type { DialectAdapter } from './dialects/dialect-adapter.js';
import { BatchedQuery, batchReadsPerTurn } from './batched-query.js';

for (const dialect of DIALECTS) {
  describe(`batched reads per turn [${dialect}]`, () => {
    let adapter: DialectAdapter;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ adapter, close } = await createMigratedDatabase(dialect));
      await adapter.db
        .insertInto('settings')
        .values(['a', 'b', 'c'].map((key) => ({ key, value: `v-${key}` })))
        .execute();
      batchReadsPerTurn(adapter.db);
    });
    afterAll(async () => close?.());

    // Each call records how many keys it ran for.
    const settingQuery = (calls: number[], kind: 'read' | 'write') =>
      new BatchedQuery<string, string | undefined>(
        async (db, key) => {
          calls.push(1);
          return (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
        },
        async (db, keys) => {
          calls.push(keys.length);
          const rows = await db.selectFrom('settings').select(['key', 'value']).where('key', 'in', keys).execute();
          return keys.map((key) => rows.find((r) => r.key === key)?.value);
        },
        kind,
      );

    it('runs the reads of one turn as one statement, and answers each its own row', async () => {
      const calls: number[] = [];
      const read = settingQuery(calls, 'read');
      expect(await Promise.all(['a', 'b', 'c', 'missing'].map((key) => read.run(adapter.db, key)))).toEqual([
        'v-a',
        'v-b',
        'v-c',
        undefined,
      ]);
      expect(calls).toEqual([4]);
      // The next turn is a batch of its own.
      expect(await read.run(adapter.db, 'a')).toBe('v-a');
      expect(calls).toEqual([4, 1]);
    });

    it('runs writes alone', async () => {
      const calls: number[] = [];
      const write = settingQuery(calls, 'write');
      await Promise.all(['a', 'b'].map((key) => write.run(adapter.db, key)));
      expect(calls).toEqual([1, 1]);
    });
  });
}
