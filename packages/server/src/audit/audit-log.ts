import type { Kysely } from 'kysely';
import type { AuditLogAnswer } from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import { parseJson } from '../db/schema.js';

/** Who did something: a dashboard account, an API key, the terminal CLI or the server itself (demo mode). */
export interface Actor {
  type: 'account' | 'api_key' | 'cli' | 'system';
  id: string | null;
  ip: string | null;
}

/** Security-relevant actions recorded in the audit log. */
export type AuditAction =
  | 'workspace.create'
  | 'secret.reveal'
  | 'secret.rotate'
  | 'secret.revoke'
  | 'api_key.create'
  | 'api_key.revoke'
  | 'member.invite'
  | 'member.invite_revoke'
  | 'member.join'
  | 'member.add'
  | 'member.role_change'
  | 'member.remove'
  | 'member.password_reset_issue'
  | 'widget.create'
  | 'widget.delete'
  | 'widget.verification_mode_change'
  | 'widget.origins_change'
  | 'user.erase'
  | 'widget.appearance_change'
  | 'segment.create'
  | 'segment.update'
  | 'segment.delete'
  | 'announcement.create'
  | 'announcement.update'
  | 'announcement.status_change'
  | 'announcement.delete'
  | 'collection.create'
  | 'collection.update'
  | 'collection.delete'
  | 'article.create'
  | 'article.update'
  | 'article.delete'
  | 'analytics.settings.update'
  | 'workspace.settings.update'
  | 'account.rename'
  | 'account.password_change'
  | 'account.password_reset'
  | 'account.password_reset_issue'
  | 'instance.email.update'
  | 'instance.email.test'
  | 'workspace.identity_alert';

/**
 * The audit log of security-relevant actions: who, what, when, from which IP.
 * Callers pass ids and settings only; secret values never reach it.
 */
export class AuditLog {
  constructor(private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'adapter'>) {}

  /** Appends an entry; pass a transaction to make it part of the change it records. */
  async record(
    workspaceId: string,
    actor: Actor,
    action: AuditAction,
    target: { type: string; id: string } | null,
    details: Record<string, unknown> = {},
    db: Kysely<Database> = this.deps.db,
  ): Promise<void> {
    await db
      .insertInto('audit_log')
      .values({
        workspace_id: workspaceId,
        actor_type: actor.type,
        actor_id: actor.id,
        action,
        target_type: target?.type ?? null,
        target_id: target?.id ?? null,
        ip: actor.ip,
        details: this.deps.adapter.json(details),
        created_at: this.deps.clock.now(),
      })
      .execute();
  }

  /** Lists a workspace's entries, newest first, paged by id. */
  async list(workspaceId: string, options: { limit: number; before?: number | undefined }): Promise<AuditLogAnswer> {
    let query = this.deps.db.selectFrom('audit_log').selectAll().where('workspace_id', '=', workspaceId);
    if (options.before !== undefined) query = query.where('id', '<', options.before);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(options.limit + 1)
      .execute();
    const page = rows.slice(0, options.limit);
    return {
      entries: page.map((row) => ({
        id: Number(row.id),
        action: row.action,
        actor: { type: row.actor_type, id: row.actor_id },
        target: { type: row.target_type, id: row.target_id },
        ip: row.ip,
        details: parseJson(row.details, {}),
        createdAt: row.created_at,
      })),
      nextBefore: rows.length > options.limit ? Number(page[page.length - 1]!.id) : null,
    };
  }
}
