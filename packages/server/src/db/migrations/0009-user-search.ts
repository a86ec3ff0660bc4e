import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../dialects/dialect-adapter.js';

/** The columns the dashboard's user search matches by prefix, case ignored (UsersStore.search). */
export const USER_SEARCH_COLUMNS = ['user_id', 'email', 'name'] as const;

/**
 * Indexes for the dashboard's user search: one per searched column on
 * (workspace, lower(column), userId), so a prefix is one index range per
 * column instead of a walk through every user of the workspace in userId
 * order. The userId makes each index cover the search: no table reads.
 *
 * PostgreSQL compares the range in the "C" collation (code point order, as
 * SQLite's BINARY): under a linguistic collation the strings that start with
 * a prefix need not sort together, and the index could not serve the range.
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  const collate = adapter.name === 'postgres' ? sql` collate "C"` : sql``;
  for (const column of USER_SEARCH_COLUMNS) {
    await sql`create index ${sql.id(`users_search_${column}`)} on users (workspace_id, (lower(${sql.ref(column)})${collate}), user_id)`.execute(
      db,
    );
  }
}
