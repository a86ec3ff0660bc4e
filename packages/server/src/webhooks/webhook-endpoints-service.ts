import type { Kysely, Selectable, Updateable } from 'kysely';
import {
  WEBHOOK_ENDPOINT_LIMITS,
  WEBHOOK_EVENT_TYPES,
  type WebhookEndpointView,
  type WebhookEndpointWithSecret,
  type webhookEndpointBody,
  type webhookEndpointPatchBody,
} from '@lumio/protocol';
import type { z } from 'zod';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import { parseJson } from '../db/schema.js';
import { newId } from '../crypto/tokens.js';
import { LumioError } from '../errors/lumio-error.js';
import type { Actor, AuditLog } from '../audit/audit-log.js';
import { normalizeWebhookUrl } from './webhook-endpoint-url.js';
import { checkWebhookUrl } from './ssrf-guard.js';
import { newWebhookSecret, sealWebhookSecret } from './webhook-signature.js';

type EndpointRow = Selectable<Database['webhook_endpoints']>;

/** An event selection with duplicates dropped, in the documented order; `*` alone when present. */
export function normalizeWebhookEvents(events: readonly string[]): string[] {
  if (events.includes('*')) return ['*'];
  return WEBHOOK_EVENT_TYPES.filter((type) => events.includes(type));
}

/**
 * Webhook endpoints of a workspace: a URL, the event types it wants and a
 * signing secret made here, encrypted at rest and answered only by create and
 * rotate. Every change is audited (never with the secret).
 */
export class WebhookEndpoints {
  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'secretBox' | 'adapter' | 'config'>,
    private readonly audit: AuditLog,
  ) {}

  /** The workspace's endpoints, oldest first. */
  async list(workspaceId: string): Promise<WebhookEndpointView[]> {
    const rows = await this.deps.db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toView);
  }

  /** One endpoint of the workspace; `not_found` for any other id (another workspace's included). */
  async get(workspaceId: string, endpointId: string, db: Kysely<Database> = this.deps.db): Promise<WebhookEndpointView> {
    return toView(await this.row(db, workspaceId, endpointId));
  }

  /** Creates an endpoint with a new secret; the answer is the only time the secret is shown. */
  async create(workspaceId: string, body: z.output<typeof webhookEndpointBody>, actor: Actor): Promise<WebhookEndpointWithSecret> {
    const url = await this.acceptUrl(body.url);
    const events = normalizeWebhookEvents(body.events);
    const now = this.deps.clock.now();
    const id = newId('whe');
    const secret = newWebhookSecret();
    await this.deps.db.transaction().execute(async (trx) => {
      // Two creates at once must not both pass the count: PostgreSQL serialises them on the workspace row (SQLite has one writer).
      if (this.deps.adapter.name === 'postgres')
        await trx.selectFrom('workspaces').select('id').where('id', '=', workspaceId).forUpdate().execute();
      const { count } = await trx
        .selectFrom('webhook_endpoints')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirstOrThrow();
      if (Number(count) >= WEBHOOK_ENDPOINT_LIMITS.perWorkspace) throw new LumioError('webhook_endpoint_limit');
      await trx
        .insertInto('webhook_endpoints')
        .values({
          id,
          workspace_id: workspaceId,
          url,
          description: body.description ?? '',
          events: this.deps.adapter.json(events),
          secret_ciphertext: sealWebhookSecret(this.deps.secretBox, id, secret),
          created_by: actor.type === 'account' ? actor.id : null,
          created_at: now,
          updated_at: now,
          disabled_at: body.enabled === false ? now : null,
        })
        .execute();
      await this.audit.record(
        workspaceId,
        actor,
        'webhook.create',
        { type: 'webhook', id },
        { name: url, events, enabled: body.enabled !== false },
        trx,
      );
    });
    return { ...(await this.get(workspaceId, id)), secret };
  }

  /** Changes an endpoint's URL, description, events or enabled state; a patch that changes nothing writes nothing. */
  async update(
    workspaceId: string,
    endpointId: string,
    patch: z.output<typeof webhookEndpointPatchBody>,
    actor: Actor,
  ): Promise<WebhookEndpointView> {
    const current = await this.row(this.deps.db, workspaceId, endpointId);
    const now = this.deps.clock.now();
    const next: Updateable<Database['webhook_endpoints']> = {};
    const changed: Record<string, unknown> = {};
    if (patch.url !== undefined) {
      const url = await this.acceptUrl(patch.url);
      if (url !== current.url) next.url = changed.url = url;
    }
    if (patch.description !== undefined && patch.description !== current.description)
      next.description = changed.description = patch.description;
    if (patch.events !== undefined) {
      const events = normalizeWebhookEvents(patch.events);
      if (JSON.stringify(events) !== JSON.stringify(eventsOf(current))) {
        next.events = this.deps.adapter.json(events);
        changed.events = events;
      }
    }
    if (patch.enabled !== undefined && patch.enabled !== (current.disabled_at === null)) {
      next.disabled_at = patch.enabled ? null : now;
      changed.enabled = patch.enabled;
    }
    if (Object.keys(changed).length === 0) return toView(current);
    await this.deps.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('webhook_endpoints')
        .set({ ...next, updated_at: now })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', endpointId)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw notFound();
      await this.audit.record(workspaceId, actor, 'webhook.update', { type: 'webhook', id: endpointId }, changed, trx);
    });
    return this.get(workspaceId, endpointId);
  }

  /** Deletes an endpoint and its delivery log; deliveries not yet sent are dropped. */
  async delete(workspaceId: string, endpointId: string, actor: Actor): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const current = await this.row(trx, workspaceId, endpointId);
      await trx.deleteFrom('webhook_endpoints').where('workspace_id', '=', workspaceId).where('id', '=', endpointId).execute();
      await this.audit.record(workspaceId, actor, 'webhook.delete', { type: 'webhook', id: endpointId }, { name: current.url }, trx);
    });
  }

  /**
   * Replaces an endpoint's secret at once (deliveries from now on are signed
   * with the new one); answers it this once. Audited as webhook.update.
   */
  async rotateSecret(workspaceId: string, endpointId: string, actor: Actor): Promise<WebhookEndpointWithSecret> {
    const secret = newWebhookSecret();
    const now = this.deps.clock.now();
    await this.deps.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('webhook_endpoints')
        .set({ secret_ciphertext: sealWebhookSecret(this.deps.secretBox, endpointId, secret), updated_at: now })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', endpointId)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw notFound();
      await this.audit.record(workspaceId, actor, 'webhook.update', { type: 'webhook', id: endpointId }, { secretRotated: true }, trx);
    });
    return { ...(await this.get(workspaceId, endpointId)), secret };
  }

  // The one place a URL is accepted, for create and update alike.
  private async acceptUrl(raw: string): Promise<string> {
    const url = normalizeWebhookUrl(raw);
    // A host that names or resolves to a loopback, private or link-local address is refused now, not only at
    // each send (where the dispatcher checks again and connects to the checked address only). A name that does
    // not resolve yet is accepted: DNS may come later, and the send-time check still guards it.
    try {
      await checkWebhookUrl(url, { allowPrivate: this.deps.config.webhookAllowPrivate });
    } catch (error) {
      if (!(error instanceof LumioError && error.code === 'webhook_url_unresolvable')) throw error;
    }
    return url;
  }

  private async row(db: Kysely<Database>, workspaceId: string, endpointId: string): Promise<EndpointRow> {
    const row = await db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', endpointId)
      .executeTakeFirst();
    if (!row) throw notFound();
    return row;
  }
}

function notFound(): LumioError {
  return new LumioError('not_found', 'No webhook endpoint with this id in this workspace.');
}

function eventsOf(row: EndpointRow): string[] {
  return parseJson<string[]>(row.events, []);
}

function toView(row: EndpointRow): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: eventsOf(row),
    enabled: row.disabled_at === null,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    disabledAt: row.disabled_at === null ? null : Number(row.disabled_at),
  };
}
