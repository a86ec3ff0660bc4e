import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../dialects/dialect-adapter.js';

/**
 * Merged user ids (issue 18, users/user-merge.ts).
 *
 * `user_aliases`: after `POST /server/v1/users/:userId/merge {from}`, the old
 * id (`alias_id`) resolves to the surviving `user_id` for identify and the
 * server API. Chains are flattened at merge time (merging B into C re-points
 * every alias of B at C), so a lookup is one row.
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  const { bigintType: big } = adapter;
  await db.schema
    .createTable('user_aliases')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('alias_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('merged_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('user_aliases_pk', ['workspace_id', 'alias_id'])
    .execute();
  await db.schema.createIndex('user_aliases_user').on('user_aliases').columns(['workspace_id', 'user_id']).execute();
}
