import type { Kysely } from 'kysely';
import type { WebhookDeliveriesAnswer, WebhookDeliveryState, WebhookDeliveryView } from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import { newId } from '../crypto/tokens.js';
import { LumioError } from '../errors/lumio-error.js';
import type { Actor, AuditLog } from '../audit/audit-log.js';

/** How a delivery log page is asked for. */
export interface DeliveryLogQuery {
  state?: WebhookDeliveryState | undefined;
  cursor?: string | undefined;
  limit: number;
}

type Position = { createdAt: number; id: string };

/**
 * The delivery log of an endpoint (newest first, paged by a cursor, with the
 * exact payload sent), and resend. The caller has checked that the endpoint
 * belongs to the workspace; every query here is scoped by both anyway.
 */
export class WebhookDeliveries {
  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'adapter'>,
    private readonly audit: AuditLog,
  ) {}

  /** One page of an endpoint's deliveries, narrowed to a state when asked. */
  async list(workspaceId: string, endpointId: string, query: DeliveryLogQuery): Promise<WebhookDeliveriesAnswer> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    let select = this.selectDeliveries(this.deps.db, workspaceId, endpointId);
    if (query.state !== undefined) select = select.where('d.state', '=', query.state);
    if (after)
      select = select.where((eb) =>
        eb.or([eb('d.created_at', '<', after.createdAt), eb.and([eb('d.created_at', '=', after.createdAt), eb('d.id', '<', after.id)])]),
      );
    const rows = await select
      .orderBy('d.created_at', 'desc')
      .orderBy('d.id', 'desc')
      .limit(query.limit + 1)
      .execute();
    const page = rows.slice(0, query.limit).map(toView);
    const last = page[page.length - 1];
    return {
      deliveries: page,
      nextCursor: rows.length > query.limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
    };
  }

  /**
   * Sends a delivery's event to its endpoint again: a new pending delivery of
   * the same event (same event id and payload, so a receiver that already has
   * it can tell), due now; the old row stays in the log as it was. When the
   * event is still waiting for a retry to that endpoint, that delivery is made
   * due now instead of queueing a second copy. Audited as webhook.resend.
   */
  async resend(workspaceId: string, endpointId: string, deliveryId: string, actor: Actor): Promise<WebhookDeliveryView> {
    const now = this.deps.clock.now();
    const queuedId = await this.deps.db.transaction().execute(async (trx) => {
      // Lock the endpoint row on PostgreSQL: two resends at once queue one copy, not two.
      let endpointQuery = trx
        .selectFrom('webhook_endpoints')
        .select(['id', 'disabled_at'])
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', endpointId);
      if (this.deps.adapter.name === 'postgres') endpointQuery = endpointQuery.forUpdate();
      const endpoint = await endpointQuery.executeTakeFirst();
      if (!endpoint) throw new LumioError('not_found', 'No webhook endpoint with this id in this workspace.');
      const original = await trx
        .selectFrom('webhook_deliveries')
        .select(['id', 'event_id'])
        .where('workspace_id', '=', workspaceId)
        .where('endpoint_id', '=', endpointId)
        .where('id', '=', deliveryId)
        .executeTakeFirst();
      if (!original) throw new LumioError('not_found', 'No delivery with this id for this webhook endpoint.');
      if (endpoint.disabled_at !== null) throw new LumioError('webhook_endpoint_disabled');
      const waiting = await trx
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('endpoint_id', '=', endpointId)
        .where('event_id', '=', original.event_id)
        .where('state', '=', 'pending')
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
      let queued: string;
      if (waiting) {
        queued = waiting.id;
        await trx.updateTable('webhook_deliveries').set({ next_attempt_at: now }).where('id', '=', waiting.id).execute();
      } else {
        queued = newId('whd');
        await trx
          .insertInto('webhook_deliveries')
          .values({
            id: queued,
            workspace_id: workspaceId,
            endpoint_id: endpointId,
            event_id: original.event_id,
            state: 'pending',
            next_attempt_at: now,
            created_at: now,
          })
          .execute();
      }
      await this.audit.record(
        workspaceId,
        actor,
        'webhook.resend',
        { type: 'webhook', id: endpointId },
        { deliveryId, eventId: original.event_id, queuedDeliveryId: queued, reusedPending: waiting !== undefined },
        trx,
      );
      return queued;
    });
    const row = await this.selectDeliveries(this.deps.db, workspaceId, endpointId).where('d.id', '=', queuedId).executeTakeFirstOrThrow();
    return toView(row);
  }

  private selectDeliveries(db: Kysely<Database>, workspaceId: string, endpointId: string) {
    return db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
      .select([
        'd.id',
        'd.event_id',
        'e.type',
        'e.payload',
        'd.state',
        'd.attempts',
        'd.next_attempt_at',
        'd.last_attempt_at',
        'd.last_status',
        'd.last_error',
        'd.created_at',
        'd.completed_at',
      ])
      .where('d.workspace_id', '=', workspaceId)
      .where('e.workspace_id', '=', workspaceId)
      .where('d.endpoint_id', '=', endpointId);
  }
}

type DeliveryRow = {
  id: string;
  event_id: string;
  type: string;
  payload: string;
  state: string;
  attempts: number;
  next_attempt_at: number | null;
  last_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  completed_at: number | null;
};

const orNull = (value: number | null) => (value === null ? null : Number(value));

function toView(row: DeliveryRow): WebhookDeliveryView {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.type,
    state: row.state as WebhookDeliveryState,
    attempts: Number(row.attempts),
    nextAttemptAt: row.state === 'pending' ? orNull(row.next_attempt_at) : null,
    lastAttemptAt: orNull(row.last_attempt_at),
    lastStatus: row.last_status === null ? null : Number(row.last_status),
    lastError: row.last_error,
    createdAt: Number(row.created_at),
    completedAt: orNull(row.completed_at),
    payload: JSON.parse(row.payload) as unknown,
  };
}

// Ids are ours (newId): anything else in a cursor is forged, and a NUL would not even reach PostgreSQL.
const ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;

function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): Position {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === 'string' &&
      ID_PATTERN.test(value[1])
    )
      return { createdAt: value[0] as number, id: value[1] };
  } catch {
    // Falls through to the refusal below.
  }
  throw new LumioError('invalid_request', 'cursor: not a cursor this list answered; start from the first page.', { field: 'cursor' });
}
