import type { Kysely } from 'kysely';
import type { AuditAction, AuditLogAnswer } from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import { parseJson } from '../db/schema.js';
import { isNameable, resolveAuditNames } from './audit-names.js';

export type { AuditAction };

/** What a read of the audit log may narrow it to; every filter is optional and they combine (and). */
export interface AuditFilters {
  /** An account id: entries that account did. */
  actorId?: string | undefined;
  action?: AuditAction | undefined;
  /** Milliseconds since 1970, both inclusive. */
  from?: number | undefined;
  to?: number | undefined;
}

/** Who did something: a dashboard account, an API key, the terminal CLI or the server itself (demo mode). */
export interface Actor {
  type: 'account' | 'api_key' | 'cli' | 'system';
  id: string | null;
  ip: string | null;
}

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

  /**
   * Lists a workspace's entries, newest first, paged by id, narrowed by the
   * filters; actors and targets carry their names, looked up in this
   * workspace when read (resolveAuditNames).
   */
  async list(workspaceId: string, options: { limit: number; before?: number | undefined } & AuditFilters): Promise<AuditLogAnswer> {
    let query = this.deps.db.selectFrom('audit_log').selectAll().where('workspace_id', '=', workspaceId);
    if (options.before !== undefined) query = query.where('id', '<', options.before);
    if (options.actorId !== undefined) query = query.where('actor_type', '=', 'account').where('actor_id', '=', options.actorId);
    if (options.action !== undefined) query = query.where('action', '=', options.action);
    if (options.from !== undefined) query = query.where('created_at', '>=', options.from);
    if (options.to !== undefined) query = query.where('created_at', '<=', options.to);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(options.limit + 1)
      .execute();
    const page = rows.slice(0, options.limit);
    const names = await resolveAuditNames(this.deps.db, workspaceId, page);
    return {
      entries: page.map((row) => {
        const details = parseJson<Record<string, unknown>>(row.details, {});
        const targetKey = `${row.target_type}:${row.target_id}`;
        // A kind resolveAuditNames can look up but did not find is gone: show the name the entry recorded then.
        const deleted = row.target_id !== null && isNameable(row.target_type) && !names.has(targetKey);
        return {
          id: Number(row.id),
          action: row.action,
          actor: { type: row.actor_type, id: row.actor_id, name: names.get(`${row.actor_type}:${row.actor_id}`) ?? null },
          target: {
            type: row.target_type,
            id: row.target_id,
            name: names.get(targetKey) ?? (deleted ? recordedName(details) : null),
            deleted,
          },
          ip: row.ip,
          details,
          createdAt: row.created_at,
        };
      }),
      nextBefore: rows.length > options.limit ? Number(page[page.length - 1]!.id) : null,
    };
  }
}

// The name or title an entry wrote down when it was made (creations and deletions do).
function recordedName(details: Record<string, unknown>): string | null {
  const name = details.name ?? details.title;
  return typeof name === 'string' ? name : null;
}
