import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { LumioError } from '../errors/lumio-error.js';
import { isRole, outranks } from '@lumio/protocol';

/**
 * Whether `actorId` has power over the account `targetId`: the actor is the
 * account itself, or is a member of EVERY workspace the target belongs to and
 * outranks it in each. Accounts are shared by workspaces, so power earned in
 * one workspace must never reach into another: an owner of workspace B who
 * invites V's owner into B gains nothing over that account. An owner is
 * outranked by nobody, so only the operator's CLI resets another person's
 * owner account. An account in no workspace is out of everyone's reach.
 * `db` may be a transaction, so the check and the change see the same members.
 */
export async function hasAccountPower(db: Kysely<Database>, actorId: string, targetId: string): Promise<boolean> {
  if (actorId === targetId) return true;
  const rows = await db
    .selectFrom('members as target')
    .leftJoin('members as actor', (join) =>
      join.onRef('actor.workspace_id', '=', 'target.workspace_id').on('actor.account_id', '=', actorId),
    )
    .select(['target.role as targetRole', 'actor.role as actorRole'])
    .where('target.account_id', '=', targetId)
    .execute();
  if (rows.length === 0) return false;
  return rows.every(({ actorRole, targetRole }) => isRole(actorRole) && isRole(targetRole) && outranks(actorRole, targetRole));
}

/**
 * Refuses with `account_outside_your_authority` unless {@link hasAccountPower};
 * `message` replaces the default when the actor is not the one asking (a reset link's issuer).
 */
export async function assertAccountPower(db: Kysely<Database>, actorId: string, targetId: string, message?: string): Promise<void> {
  if (!(await hasAccountPower(db, actorId, targetId))) throw new LumioError('account_outside_your_authority', message);
}
