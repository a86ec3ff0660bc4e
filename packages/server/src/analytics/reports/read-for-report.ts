import { sql } from 'kysely';
import type { AppDeps } from '../../http/app-deps.js';

/** The memory each sort or hash of a report may use on PostgreSQL before it spills to disk. */
export const REPORT_WORK_MEM = '64MB';

/**
 * Runs a report's queries. On PostgreSQL they share one read-only
 * transaction whose sorts and hashes may each use {@link REPORT_WORK_MEM}:
 * demographics over 30 days of 30M events groups a million rollup rows and
 * hashes every profile snapshot, which the server's default 4 MB spills to
 * disk in several batches. The setting ends with the transaction, so the
 * widget API's statements keep the server's default. SQLite has no such
 * limit: `run` gets the deps as they are.
 */
export async function readForReport<D extends Pick<AppDeps, 'adapter' | 'db'>, T>(deps: D, run: (deps: D) => Promise<T>): Promise<T> {
  if (deps.adapter.name !== 'postgres') return run(deps);
  return deps.db
    .transaction()
    .setAccessMode('read only')
    .execute(async (trx) => {
      await sql`set local work_mem = ${sql.lit(REPORT_WORK_MEM)}`.execute(trx);
      return run({ ...deps, db: trx });
    });
}
