import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createMigratedDatabase } from '../test-support/test-app.js';
import type { DialectAdapter } from './dialects/dialect-adapter.js';
import { prepareQuery } from './prepared-query.js';

for (const dialect of DIALECTS) {
  describe(`prepared queries [${dialect}]`, () => {
    let adapter: DialectAdapter;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ adapter, close } = await createMigratedDatabase(dialect));
      await adapter.db
        .insertInto('settings')
        .values([
          { key: 'a', value: '1' },
          { key: 'b', value: '2' },
          { key: 'c', value: '3' },
        ])
        .execute();
    });
    afterAll(async () => close?.());

    it('runs with new values each time, whatever order the parameters appear in the SQL', async () => {
      const db = adapter.db;
      const query = prepareQuery(
        db,
        (p) => db.selectFrom('settings').select('key').where('value', '>=', p.low).where('key', '!=', p.skip).orderBy('key'),
        ['skip', 'low'],
      );
      expect((await query.run(db, { low: '2', skip: 'x' })).map((r) => r.key)).toEqual(['b', 'c']);
      expect((await query.run(db, { low: '1', skip: 'b' })).map((r) => r.key)).toEqual(['a', 'c']);
      // Values are bound, never spliced into the SQL.
      expect((await query.run(db, { low: "0' or '1'='1", skip: 'a' })).map((r) => r.key)).toEqual(['b', 'c']);
    });

    it('refuses a query whose parameters are not all named', () => {
      const db = adapter.db;
      expect(() =>
        prepareQuery(db, (p) => db.selectFrom('settings').selectAll().where('key', '=', p.k).where('value', '=', 'fixed'), ['k']),
      ).toThrow(/not one of k/);
    });
  });
}
