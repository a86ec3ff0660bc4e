import { WEBHOOK_PAYLOAD_VERSION, type WebhookEventType } from '@lumio/protocol';
import type { Kysely } from 'kysely';
import { newId } from '../crypto/tokens.js';
import type { Database } from '../db/schema.js';
import { parseJson } from '../db/schema.js';
import { rowsByKey } from '../db/batched-query.js';

/** The body every webhook delivery carries (docs/webhooks.md). */
export interface WebhookPayload {
  /** The event id: receivers deduplicate on it (delivery is at-least-once). */
  id: string;
  type: WebhookEventType;
  version: number;
  /** ISO 8601, when the change was committed. */
  created_at: string;
  workspace_id: string;
  data: Record<string, unknown>;
}

/** An enabled endpoint and the event types it wants (`*` = all). */
export interface WebhookEndpointInterest {
  id: string;
  events: readonly string[];
}

/**
 * The workspace's enabled endpoints and what each wants. A bulk writer (an
 * import) reads this once per batch and passes it to
 * {@link recordWebhookEvent}, instead of one read per row.
 */
export async function webhookEndpointsOf(db: Kysely<Database>, workspaceId: string): Promise<WebhookEndpointInterest[]> {
  const rows = await endpointsOfWorkspace.run(db, { workspaceId, value: workspaceId });
  return rows.filter((r) => r.disabled_at === null).map((r) => ({ id: r.id, events: parseJson<string[]>(r.events, []) }));
}

// The identifies of a group transaction that tell a user change read the endpoints once.
const endpointsOfWorkspace = rowsByKey('webhook_endpoints', 'workspace_id');

/**
 * Records a webhook event in the outbox, in the caller's transaction: the
 * event row and one pending delivery per enabled endpoint of the workspace
 * that wants this type. Nothing is written when no endpoint wants it, so a
 * workspace without webhooks pays one indexed read. Sending is the
 * dispatcher's job (webhooks/webhook-dispatcher.ts), never the caller's:
 * a slow receiver cannot slow identify or ingestion.
 *
 * `endpoints`: from {@link webhookEndpointsOf}, when the caller already read them.
 * Returns the event id, or null when no endpoint wanted the event.
 */
export async function recordWebhookEvent(
  db: Kysely<Database>,
  workspaceId: string,
  type: WebhookEventType,
  data: Record<string, unknown>,
  now: number,
  endpoints?: ReadonlyArray<WebhookEndpointInterest>,
): Promise<string | null> {
  const wanting = (endpoints ?? (await webhookEndpointsOf(db, workspaceId))).filter(
    (e) => e.events.includes('*') || e.events.includes(type),
  );
  if (wanting.length === 0) return null;
  const id = newId('evt');
  const payload: WebhookPayload = {
    id,
    type,
    version: WEBHOOK_PAYLOAD_VERSION,
    created_at: new Date(now).toISOString(),
    workspace_id: workspaceId,
    data,
  };
  await db
    .insertInto('webhook_events')
    .values({ id, workspace_id: workspaceId, type, payload: JSON.stringify(payload), created_at: now })
    .execute();
  await db
    .insertInto('webhook_deliveries')
    .values(
      wanting.map((e) => ({
        id: newId('whd'),
        workspace_id: workspaceId,
        endpoint_id: e.id,
        event_id: id,
        state: 'pending',
        next_attempt_at: now,
        created_at: now,
      })),
    )
    .execute();
  return id;
}
