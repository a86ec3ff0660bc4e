import type { Actor, AuditLog } from '../audit/audit-log.js';
import { LumioError } from '../errors/lumio-error.js';
import type { IdentityLog } from '../identity/identity-log.js';
import type { EventSnapshots } from '../analytics/event-snapshots.js';
import type { EventStore } from '../analytics/event-store.js';
import type { UsersStore } from './users-store.js';
import type { InterestBuffer } from '../interests/interest-buffer.js';

/** What an erasure removed. */
export interface UserErasure {
  erased: true;
  userId: string;
  anonymousIdsUnlinked: number;
  identityLogEntriesDeleted: number;
  eventsDeleted: number;
}

/** What {@link eraseUser} works with. */
export interface ErasureServices {
  users: UsersStore;
  audit: AuditLog;
  identityLog: IdentityLog;
  events: EventStore;
  snapshots: EventSnapshots;
  /** Queued interest activity (null when interests are written with the events). */
  interestBuffer: Pick<InterestBuffer, 'flush'> | null;
}

/**
 * Erases a user for a privacy request: profile, links, identity-log entries,
 * saved and seen data and analytics events, in one transaction, then audited.
 * The server API and the dashboard both erase through here.
 */
export async function eraseUser(services: ErasureServices, workspaceId: string, userId: string, actor: Actor): Promise<UserErasure> {
  const { users, audit, identityLog, events, snapshots } = services;
  // Buffered log entries and interest activity of this user must be stored before they can be deleted.
  await identityLog.flush();
  await services.interestBuffer?.flush();
  const result = await users.erase(workspaceId, userId, (trx) => events.eraseUser(trx, workspaceId, userId));
  // Other processes cache snapshot ids; the erased user's are gone.
  await snapshots.deleted(workspaceId);
  if (!result.existed && result.links === 0 && result.logEntries === 0 && result.events === 0)
    throw new LumioError('not_found', 'No user with this userId in this workspace.');
  // The audit row names the erasure, not the person: the userId is hashed away with the data.
  await audit.record(
    workspaceId,
    actor,
    'user.erase',
    { type: 'user', id: 'erased' },
    { links: result.links, logEntries: result.logEntries, events: result.events },
  );
  return {
    erased: true,
    userId,
    anonymousIdsUnlinked: result.links,
    identityLogEntriesDeleted: result.logEntries,
    eventsDeleted: result.events,
  };
}
