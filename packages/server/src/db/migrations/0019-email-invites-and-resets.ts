import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../dialects/dialect-adapter.js';

/**
 * Email for invites and password resets (team/team-service.ts,
 * accounts/forgot-password.ts).
 *
 * `invites.email`: the address an invite was sent to (lower-case), null for
 * a link-only invite; a new account accepting it must use that address.
 * `password_resets.self_service`: 1 for a link the account asked for itself
 * ("Forgot password?"), 0 for one an owner/admin or the operator issued. A
 * new self-service request deletes the older self-service links of the
 * account; issued links are left alone.
 */
export async function up(db: Kysely<unknown>, _adapter: DialectAdapter): Promise<void> {
  await db.schema.alterTable('invites').addColumn('email', 'text').execute();
  await db.schema
    .alterTable('password_resets')
    .addColumn('self_service', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
