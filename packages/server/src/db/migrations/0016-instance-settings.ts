import { sql, type Kysely } from 'kysely';
import type { DialectAdapter } from '../dialects/dialect-adapter.js';

/**
 * Settings of the Lumio instance itself (issue 17), one row (`id` = 'instance'):
 *
 * - `owner_account_id`: the instance owner, the one account that may set the
 *   instance's SMTP settings. Setup records the account it creates; for a
 *   database set up before this migration it is the earliest-created account
 *   that owns a workspace (setup made the first account, an owner, and no
 *   account can be made before setup), so on an existing install it is the
 *   account that ran setup unless that account was removed since.
 * - the SMTP settings the owner saved in the dashboard (used when
 *   LUMIO_SMTP_URL is not set); the password only as a SecretBox ciphertext.
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  await db.schema
    .createTable('instance_settings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_account_id', 'text', (c) => c.references('accounts.id').onDelete('set null'))
    .addColumn('smtp_host', 'text')
    .addColumn('smtp_port', 'integer')
    .addColumn('smtp_security', 'text')
    .addColumn('smtp_user', 'text')
    .addColumn('smtp_password_ciphertext', 'text')
    .addColumn('smtp_from', 'text')
    .addColumn('public_url', 'text')
    .addColumn('updated_at', adapter.bigintType)
    .execute();
  await sql`
    INSERT INTO instance_settings (id, owner_account_id)
    SELECT 'instance', (
      SELECT a.id FROM accounts a
      WHERE EXISTS (SELECT 1 FROM members m WHERE m.account_id = a.id AND m.role = 'owner')
      ORDER BY a.created_at, a.id
      LIMIT 1
    )`.execute(db);
}
