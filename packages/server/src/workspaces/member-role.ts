import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { LumioError } from '../errors/lumio-error.js';
import type { Role } from '@lumio/protocol';
import { isRole } from '@lumio/protocol';

/** The role of an account in a workspace, or null when it is not a member; `db` may be a transaction. */
export async function findMemberRole(db: Kysely<Database>, workspaceId: string, accountId: string): Promise<Role | null> {
  const row = await db
    .selectFrom('members')
    .select('role')
    .where('workspace_id', '=', workspaceId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!row) return null;
  if (!isRole(row.role)) throw new LumioError('internal_error', `Unknown role ${row.role}`);
  return row.role;
}

/** Like {@link findMemberRole}, for changes to a member: a non-member is 404. */
export async function requireMemberRole(db: Kysely<Database>, workspaceId: string, accountId: string): Promise<Role> {
  const role = await findMemberRole(db, workspaceId, accountId);
  if (!role) throw new LumioError('not_found', 'No such member in this workspace.');
  return role;
}
