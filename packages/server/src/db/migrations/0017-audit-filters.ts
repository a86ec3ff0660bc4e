import type { Kysely } from 'kysely';

/**
 * Indexes for the audit log's filters (audit/audit-routes.ts): by actor and
 * by action, each in id order so a filtered page is a range read, and by
 * time for a date range. The table is small and written rarely, so three
 * indexes cost little on write.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['workspace_id', 'actor_id', 'id']).execute();
  await db.schema.createIndex('audit_log_action').on('audit_log').columns(['workspace_id', 'action', 'id']).execute();
  await db.schema.createIndex('audit_log_created').on('audit_log').columns(['workspace_id', 'created_at']).execute();
}
