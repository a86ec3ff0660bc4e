import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../dialects/dialect-adapter.js';

/**
 * The sign-in throttle's state (accounts/sign-in-throttle.ts), in the
 * database so that every server process counts the same failures.
 *
 * `sign_in_failures` holds one fixed-window counter per (account key, source):
 * the source is a client IP, or `*` for the account across all IPs. The
 * account key is the normalised email, known or not, so an unknown email is
 * counted exactly like a known one. `sign_in_known_sources` remembers the IPs
 * an account has proved its password from; they are exempt from the
 * account-wide slow-down.
 *
 * The accounts table's `failed_logins` and `locked_until` (the old renewable
 * lock) are no longer read.
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  const big = adapter.bigintType;
  await db.schema
    .createTable('sign_in_failures')
    .addColumn('account_key', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('window_start', big, (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('sign_in_failures_pk', ['account_key', 'source'])
    .execute();
  // Old windows are swept by age.
  await db.schema.createIndex('sign_in_failures_window').on('sign_in_failures').column('window_start').execute();

  await db.schema
    .createTable('sign_in_known_sources')
    .addColumn('account_key', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('last_success_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('sign_in_known_sources_pk', ['account_key', 'source'])
    .execute();
}
