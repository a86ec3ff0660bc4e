import type { ApiKeyView, CreatedApiKey } from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import type { ApiKeyContext } from '../http/request-context.js';
import { LumioError } from '../errors/lumio-error.js';
import { hashToken, newId, newToken } from '../crypto/tokens.js';
import type { Actor, AuditLog } from '../audit/audit-log.js';

// last_used_at is a hint for the team, not an audit trail: write it at most once a minute per key.
const LAST_USED_RESOLUTION_MS = 60_000;

/** Workspace API keys for server-to-server calls: stored hashed, revocable. */
export class ApiKeysService {
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock'>,
    private readonly audit: AuditLog,
  ) {}

  /** Creates a key; returns it once with its metadata. */
  async create(workspaceId: string, name: string, actor: Actor): Promise<CreatedApiKey> {
    const key = newToken('lk');
    const view: ApiKeyView = {
      id: newId('ak', 9),
      name: name.trim() || 'API key',
      prefix: key.slice(0, 10),
      createdBy: actor.id ?? 'cli',
      createdAt: this.deps.clock.now(),
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.deps.db
      .insertInto('api_keys')
      .values({
        id: view.id,
        workspace_id: workspaceId,
        name: view.name,
        key_hash: hashToken(key),
        prefix: view.prefix,
        created_by: view.createdBy,
        created_at: view.createdAt,
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
    await this.audit.record(workspaceId, actor, 'api_key.create', { type: 'api_key', id: view.id }, { name: view.name });
    return { ...view, key };
  }

  /** Lists a workspace's keys, revoked ones included. */
  async list(workspaceId: string): Promise<ApiKeyView[]> {
    const rows = await this.deps.db
      .selectFrom('api_keys')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      createdBy: r.created_by,
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at,
      revokedAt: r.revoked_at,
    }));
  }

  /** Revokes a key at once. */
  async revoke(workspaceId: string, keyId: string, actor: Actor): Promise<void> {
    const result = await this.deps.db
      .updateTable('api_keys')
      .set({ revoked_at: this.deps.clock.now() })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', keyId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new LumioError('not_found', 'No such active API key in this workspace.');
    await this.audit.record(workspaceId, actor, 'api_key.revoke', { type: 'api_key', id: keyId });
  }

  /** Resolves a presented key to its workspace; throws `invalid_api_key`. */
  async authenticate(key: string): Promise<ApiKeyContext> {
    const row = await this.deps.db
      .selectFrom('api_keys')
      .select(['id', 'workspace_id', 'revoked_at'])
      .where('key_hash', '=', hashToken(key))
      .executeTakeFirst();
    if (!row || row.revoked_at !== null) throw new LumioError('invalid_api_key');
    const now = this.deps.clock.now();
    if (now - (this.lastUsedWritten.get(row.id) ?? 0) > LAST_USED_RESOLUTION_MS) {
      this.lastUsedWritten.set(row.id, now);
      await this.deps.db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute();
    }
    return { id: row.id, workspaceId: row.workspace_id };
  }
}
