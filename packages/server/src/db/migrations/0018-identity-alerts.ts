import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../dialects/dialect-adapter.js';

/**
 * The identity health alert of issue 17, per workspace (identity/identity-alerts.ts):
 * on or off (off by default), its failure-rate threshold in percent and the
 * fewest identify attempts in the hour that count, and when the last alert
 * was sent: claimed with one conditional UPDATE, so of several processes
 * checking at once only one sends, and none again within the hour.
 */
export async function up(db: Kysely<unknown>, adapter: DialectAdapter): Promise<void> {
  await db.schema
    .alterTable('workspaces')
    .addColumn('identity_alerts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('workspaces')
    .addColumn('identity_alert_failure_percent', 'integer', (c) => c.notNull().defaultTo(20))
    .execute();
  await db.schema
    .alterTable('workspaces')
    .addColumn('identity_alert_min_attempts', 'integer', (c) => c.notNull().defaultTo(20))
    .execute();
  await db.schema.alterTable('workspaces').addColumn('identity_alert_sent_at', adapter.bigintType).execute();
}
