import type { UserInterests } from '@lumio/protocol';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { userViewerKeys } from '../identity/viewer-key.js';
import type { InterestsReader } from './interests-reader.js';

/**
 * A user's interest profile by trust partition: verified (`v:`) and, apart,
 * unverified claimants of the userId (`i:`); strongest topics first, at most
 * `limit` of each (all when omitted: a privacy export carries everything).
 */
export async function userInterests(
  reader: InterestsReader,
  workspaceId: string,
  userId: string,
  now: number,
  limit?: number,
  db?: Kysely<Database>,
): Promise<UserInterests> {
  const [verifiedKey, unverifiedKey] = userViewerKeys(userId) as [string, string];
  const [verified, unverified, halfLifeDays] = await Promise.all([
    reader.topics(workspaceId, verifiedKey, now, db),
    reader.topics(workspaceId, unverifiedKey, now, db),
    reader.halfLifeDays(workspaceId, db),
  ]);
  return {
    verified: limit === undefined ? verified : verified.slice(0, limit),
    unverified: limit === undefined ? unverified : unverified.slice(0, limit),
    halfLifeDays,
  };
}
