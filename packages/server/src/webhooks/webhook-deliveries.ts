import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * Queues a delivery of a workspace again, for the dashboard's and the API's
 * "resend": it becomes pending and due now, whatever its state, and the
 * dispatcher sends it within about a second (call its `wake()` to send at
 * once). A send in flight is not overwritten by its own result: its lease no
 * longer matches, so the resend still happens. The retry window stays the
 * one of the event: within the day after it, a failed resend is retried as
 * usual; after it, the resend is one attempt.
 *
 * Returns false when the workspace has no such delivery (another workspace's
 * id included), so the caller answers 404 without telling the two apart.
 */
export async function requeueDelivery(db: Kysely<Database>, workspaceId: string, deliveryId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ state: 'pending', next_attempt_at: now, locked_until: null, completed_at: null })
    .where('id', '=', deliveryId)
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
