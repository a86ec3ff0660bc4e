import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../dialects/dialect-adapter.js';

/**
 * Companies (issue 18, companies/).
 *
 * - `companies`: one per host company id per workspace, with a name and flat
 *   properties; `sources` records each value's source (`name`,
 *   `properties.<key>` → unverified | claimed | trusted) exactly as users'
 *   profiles do, so a browser's claim never overwrites what the server set.
 * - `company_members`: which users belong to which companies. `source` is how
 *   the membership was learned: `trusted` from the server API or a signed
 *   identity token, `claimed` from a signed identify (the HMAC covers the
 *   userId only), `unverified` from an unverified session. A membership is
 *   only ever raised, never lowered, by a later source.
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  const { jsonType: json, bigintType: big } = adapter;
  await db.schema
    .createTable('companies')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('properties', json, (c) => c.notNull())
    .addColumn('sources', json, (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('companies_pk', ['workspace_id', 'company_id'])
    .execute();
  await db.schema.createIndex('companies_updated').on('companies').columns(['workspace_id', 'updated_at']).execute();

  await db.schema
    .createTable('company_members')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('company_members_pk', ['workspace_id', 'company_id', 'user_id'])
    .addForeignKeyConstraint(
      'company_members_company_fk',
      ['workspace_id', 'company_id'],
      'companies',
      ['workspace_id', 'company_id'],
      (c) => c.onDelete('cascade'),
    )
    .addForeignKeyConstraint('company_members_user_fk', ['workspace_id', 'user_id'], 'users', ['workspace_id', 'user_id'], (c) =>
      c.onDelete('cascade'),
    )
    .execute();
  // "Which companies is this user in" (identify, targeting, erasure, merge).
  await db.schema.createIndex('company_members_user').on('company_members').columns(['workspace_id', 'user_id']).execute();
}
