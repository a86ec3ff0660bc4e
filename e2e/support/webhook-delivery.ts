import path from 'node:path';
import type { WebhookEventType } from '@lumio/protocol';
import { createSqliteAdapter } from '../../packages/server/src/db/dialects/sqlite-dialect.js';
import { recordWebhookEvent } from '../../packages/server/src/webhooks/webhook-outbox.js';

/**
 * Records a webhook event in a running e2e server's SQLite file through the
 * server's own outbox writer (as a change would, in one transaction), so the
 * delivery log has a row. With `failed`, the new deliveries are marked failed
 * after an HTTP 500 in the same transaction, before any dispatcher sees them.
 * Answers the event id.
 */
export async function recordE2eWebhookEvent(
  dataDir: string,
  workspaceId: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
  options: { failed?: boolean } = {},
): Promise<string> {
  const adapter = createSqliteAdapter(path.join(dataDir, 'lumio.db'));
  try {
    return await adapter.db.transaction().execute(async (trx) => {
      const now = Date.now();
      const eventId = await recordWebhookEvent(trx, workspaceId, type, data, now);
      if (!eventId) throw new Error(`no endpoint of ${workspaceId} wants ${type}`);
      if (options.failed)
        await trx
          .updateTable('webhook_deliveries')
          .set({
            state: 'failed',
            attempts: 3,
            last_attempt_at: now,
            last_status: 500,
            last_error: 'HTTP 500 from the receiver',
            completed_at: now,
          })
          .where('event_id', '=', eventId)
          .execute();
      return eventId;
    });
  } finally {
    await adapter.destroy();
  }
}
