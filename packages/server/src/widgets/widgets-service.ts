import type { CreatedWidget, VerificationMode, WidgetView } from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import { LumioError } from '../errors/lumio-error.js';
import { newId } from '../crypto/tokens.js';
import type { Kysely } from 'kysely';
import { parseJson, type Database } from '../db/schema.js';
import type { Actor, AuditLog } from '../audit/audit-log.js';
import type { SigningSecrets } from './signing-secrets.js';
import { normalizeOrigins } from './widget-origins.js';
import { parseAppearance, storedAppearance, type WidgetAppearance } from './widget-appearance.js';

/** Fields a team may change on a widget. */
export interface WidgetPatch {
  name?: string | undefined;
  allowedOrigins?: unknown;
  verificationMode?: unknown;
  appearance?: unknown;
}

/** Widgets of a workspace; creating one creates its first signing secret. */
export class WidgetsService {
  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'adapter'>,
    private readonly audit: AuditLog,
    private readonly secrets: SigningSecrets,
    private readonly onChange: (widgetId: string) => Promise<void>,
  ) {}

  /** Creates a widget; returns it with its first signing secret, shown this once. Pass `db` to join a caller's transaction. */
  async create(
    workspaceId: string,
    input: { name: string; allowedOrigins?: unknown; verificationMode?: unknown; appearance?: unknown },
    actor: Actor,
    db?: Kysely<Database>,
  ): Promise<CreatedWidget> {
    const now = this.deps.clock.now();
    const widget: WidgetView = {
      id: newId('wgt', 12),
      workspaceId,
      name: input.name.trim(),
      allowedOrigins: input.allowedOrigins === undefined ? [] : normalizeOrigins(input.allowedOrigins),
      verificationMode: input.verificationMode === undefined ? 'optional' : parseMode(input.verificationMode),
      appearance: input.appearance === undefined ? storedAppearance(null) : parseAppearance(input.appearance),
      createdAt: now,
      updatedAt: now,
    };
    const write = async (trx: Kysely<Database>) => {
      await trx
        .insertInto('widgets')
        .values({
          id: widget.id,
          workspace_id: workspaceId,
          name: widget.name,
          allowed_origins: this.deps.adapter.json(widget.allowedOrigins),
          verification_mode: widget.verificationMode,
          appearance: this.deps.adapter.json(widget.appearance),
          created_at: now,
          updated_at: now,
        })
        .execute();
      const secret = await this.secrets.insert(workspaceId, widget.id, trx);
      await this.audit.record(
        workspaceId,
        actor,
        'widget.create',
        { type: 'widget', id: widget.id },
        { name: widget.name, keyId: secret.keyId },
        trx,
      );
      return secret;
    };
    const signingSecret = db ? await write(db) : await this.deps.db.transaction().execute(write);
    return { ...widget, signingSecret };
  }

  /** Lists a workspace's widgets. */
  async list(workspaceId: string): Promise<WidgetView[]> {
    const rows = await this.deps.db
      .selectFrom('widgets')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('created_at')
      .execute();
    return rows.map(toView);
  }

  /** One widget of a workspace; `not_found` for another workspace's widget. */
  async get(workspaceId: string, widgetId: string): Promise<WidgetView> {
    const row = await this.deps.db
      .selectFrom('widgets')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', widgetId)
      .executeTakeFirst();
    if (!row) throw new LumioError('not_found', 'No such widget in this workspace.');
    return toView(row);
  }

  /** Updates name, allowed origins or verification mode; security changes are audited. */
  async update(workspaceId: string, widgetId: string, patch: WidgetPatch, actor: Actor): Promise<WidgetView> {
    const before = await this.get(workspaceId, widgetId);
    const next = { ...before };
    if (patch.name !== undefined) next.name = patch.name.trim();
    if (patch.allowedOrigins !== undefined) next.allowedOrigins = normalizeOrigins(patch.allowedOrigins);
    if (patch.verificationMode !== undefined) next.verificationMode = parseMode(patch.verificationMode);
    if (patch.appearance !== undefined) next.appearance = parseAppearance(patch.appearance, before.appearance);
    next.updatedAt = this.deps.clock.now();
    await this.deps.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('widgets')
        .set({
          name: next.name,
          allowed_origins: this.deps.adapter.json(next.allowedOrigins),
          verification_mode: next.verificationMode,
          appearance: this.deps.adapter.json(next.appearance),
          updated_at: next.updatedAt,
        })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', widgetId)
        .execute();
      if (next.verificationMode !== before.verificationMode) {
        await this.audit.record(
          workspaceId,
          actor,
          'widget.verification_mode_change',
          { type: 'widget', id: widgetId },
          { from: before.verificationMode, to: next.verificationMode },
          trx,
        );
      }
      if (JSON.stringify(next.allowedOrigins) !== JSON.stringify(before.allowedOrigins)) {
        await this.audit.record(
          workspaceId,
          actor,
          'widget.origins_change',
          { type: 'widget', id: widgetId },
          { from: before.allowedOrigins, to: next.allowedOrigins },
          trx,
        );
      }
    });
    await this.onChange(widgetId);
    return next;
  }

  /** Deletes a widget with its secrets and identity log. */
  async delete(workspaceId: string, widgetId: string, actor: Actor): Promise<void> {
    await this.get(workspaceId, widgetId);
    await this.deps.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('identity_log').where('widget_id', '=', widgetId).where('workspace_id', '=', workspaceId).execute();
      await trx.deleteFrom('identity_stats').where('widget_id', '=', widgetId).where('workspace_id', '=', workspaceId).execute();
      await trx.deleteFrom('signing_secrets').where('widget_id', '=', widgetId).where('workspace_id', '=', workspaceId).execute();
      await trx.deleteFrom('widgets').where('id', '=', widgetId).where('workspace_id', '=', workspaceId).execute();
      await this.audit.record(workspaceId, actor, 'widget.delete', { type: 'widget', id: widgetId }, {}, trx);
    });
    await this.onChange(widgetId);
  }
}

function parseMode(value: unknown): VerificationMode {
  if (value === 'optional' || value === 'required') return value;
  throw new LumioError('invalid_request', 'verificationMode must be "optional" or "required".', { field: 'verificationMode' });
}

function toView(row: Database['widgets']): WidgetView {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    allowedOrigins: parseJson<string[]>(row.allowed_origins, []),
    verificationMode: row.verification_mode as VerificationMode,
    appearance: storedAppearance(parseJson<WidgetAppearance | null>(row.appearance, null)),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
