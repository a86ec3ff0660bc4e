import type { Kysely } from 'kysely';
import type { Role, WorkspaceView } from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import { LumioError } from '../errors/lumio-error.js';
import { newId } from '../crypto/tokens.js';
import type { Actor, AuditLog } from '../audit/audit-log.js';
import { findMemberRole } from './member-role.js';

/** Workspaces and the caller's membership in them. */
export class WorkspacesService {
  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock'>,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Creates a workspace with `ownerId` as its first owner, or with no member
   * yet when null (the demo workspace, adopted by the owner at setup); pass
   * `db` to join a caller's transaction.
   */
  async create(name: string, ownerId: string | null, actor: Actor, db?: Kysely<Database>): Promise<WorkspaceView> {
    const id = newId('ws');
    const now = this.deps.clock.now();
    const write = async (trx: Kysely<Database>) => {
      await trx.insertInto('workspaces').values({ id, name: name.trim(), created_at: now }).execute();
      if (ownerId !== null)
        await trx.insertInto('members').values({ workspace_id: id, account_id: ownerId, role: 'owner', created_at: now }).execute();
      await this.audit.record(id, actor, 'workspace.create', { type: 'workspace', id }, { name: name.trim() }, trx);
    };
    if (db) await write(db);
    else await this.deps.db.transaction().execute(write);
    return { id, name: name.trim(), role: 'owner', createdAt: now };
  }

  /** Makes an account an owner of a workspace it is not a member of yet, inside the caller's transaction. */
  async addOwner(workspaceId: string, accountId: string, actor: Actor, trx: Kysely<Database>): Promise<void> {
    await trx
      .insertInto('members')
      .values({ workspace_id: workspaceId, account_id: accountId, role: 'owner', created_at: this.deps.clock.now() })
      .execute();
    await this.audit.record(workspaceId, actor, 'member.add', { type: 'account', id: accountId }, { role: 'owner' }, trx);
  }

  /** The workspaces an account belongs to. */
  async listForAccount(accountId: string): Promise<WorkspaceView[]> {
    const rows = await this.deps.db
      .selectFrom('members')
      .innerJoin('workspaces', 'workspaces.id', 'members.workspace_id')
      .select(['workspaces.id', 'workspaces.name', 'workspaces.created_at', 'members.role'])
      .where('members.account_id', '=', accountId)
      .orderBy('workspaces.created_at')
      .execute();
    return rows.map((r) => ({ id: r.id, name: r.name, role: r.role as Role, createdAt: r.created_at }));
  }

  /** The role of an account in a workspace, or null when it is not a member. */
  async roleOf(workspaceId: string, accountId: string): Promise<Role | null> {
    return findMemberRole(this.deps.db, workspaceId, accountId);
  }

  /** Whether any workspace exists yet (setup is only for an empty server). */
  async any(): Promise<boolean> {
    return (await this.deps.db.selectFrom('workspaces').select('id').limit(1).executeTakeFirst()) !== undefined;
  }
}
