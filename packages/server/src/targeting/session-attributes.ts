import type { Kysely } from 'kysely';
import type { Attributes } from '@lumio/targeting';
import type { Database } from '../db/schema.js';
import type { UsersStore, UserView } from '../users/users-store.js';
import { viewerOf, type ViewerSession } from '../identity/viewer-key.js';
import type { InterestsReader } from '../interests/interests-reader.js';
import { userAttributes, type TargetedUser } from './user-attributes.js';
import { readUserCompanies } from './user-companies.js';

/** The identity of a widget session, as targeting needs it. */
export interface TargetedSession {
  state: 'anonymous' | 'identified' | 'verified';
  userId?: string | null | undefined;
}

/** Which stored values an audience may read: all of them, or only those a trusted source wrote. */
export type AudienceProperties = 'all' | 'trusted';

/** The attributes of one session for each properties mode, built at most once per request. */
export type SessionAttributes = (properties: AudienceProperties) => Attributes;

/** How {@link loadSessionAttributes} reads the session's interest levels, for conditions on `interests.<topic>`. */
export interface SessionInterests {
  reader: Pick<InterestsReader, 'levels'>;
  /** The moment levels are read at (epoch ms). */
  now: number;
}

/** How {@link loadSessionAttributes} reads the user's companies, for conditions on `company.<key>`. */
export interface SessionCompanies {
  db: Kysely<Database>;
}

/**
 * The attributes a widget session is targeted on, per trust partition: a
 * verified session on the stored profile (or its trusted values only); an
 * identified-but-unverified one only on what unverified sessions wrote, since
 * anyone can claim its userId, and on nothing of the profile when the audience
 * asks for trusted values; an anonymous one has no profile. `trust` is the
 * session's own level. `user` is the stored user of the session's userId.
 *
 * `interests` are the levels of the session's own partition (`v:`, `i:` or
 * `a:`, identity/viewer-key.ts): a verified session's count in every
 * audience; an unverified or anonymous session's only where the audience
 * reads all values, never where it asks for trusted ones.
 *
 * Companies (`user.companies`, when read) follow the user's values: a
 * verified session's memberships of every source (trusted ones only where the
 * audience asks for trusted values), an unverified session's only those
 * unverified sessions claimed.
 */
export function sessionAttributes(
  session: TargetedSession,
  user: (UserView & Pick<TargetedUser, 'companies'>) | null,
  interests?: Record<string, number>,
): SessionAttributes {
  const built: Partial<Record<AudienceProperties, Attributes>> = {};
  return (properties) => (built[properties] ??= attributesFor(session, user, properties, interests));
}

/**
 * Reads the session's stored user (none for an anonymous session) and, when
 * asked, its interest levels and its companies, and gives its {@link sessionAttributes}.
 */
export async function loadSessionAttributes(
  users: Pick<UsersStore, 'get'>,
  workspaceId: string,
  session: ViewerSession,
  interests?: SessionInterests,
  companies?: SessionCompanies,
): Promise<SessionAttributes> {
  const userId = session.state === 'anonymous' ? null : (session.userId ?? null);
  const [user, levels, memberships] = await Promise.all([
    userId === null ? null : users.get(workspaceId, userId),
    interests?.reader.levels(workspaceId, viewerOf(session), interests.now),
    userId === null || !companies ? undefined : readUserCompanies(companies.db, workspaceId, userId),
  ]);
  return sessionAttributes(session, user && memberships ? { ...user, companies: memberships } : user, levels);
}

function attributesFor(
  session: TargetedSession,
  user: TargetedUser | null,
  properties: AudienceProperties,
  interests: Record<string, number> | undefined,
): Attributes {
  const verified = session.state === 'verified';
  const attributes = baseAttributes(session, user, properties);
  // NOTE: as interestPartition in user-attributes.ts for stored users: only a verified session's interests are trusted.
  if (interests && (verified || properties === 'all')) attributes.interests = interests;
  return attributes;
}

function baseAttributes(session: TargetedSession, user: TargetedUser | null, properties: AudienceProperties): Attributes {
  if (session.state === 'verified' && user)
    return { ...userAttributes(user, properties === 'trusted' ? 'trusted' : 'all'), trust: 'verified' };
  if (session.state === 'identified' && user && properties === 'all') return { ...userAttributes(user, 'unverified'), trust: 'identified' };
  if (session.state !== 'anonymous' && session.userId) return { userId: session.userId, trust: session.state };
  return { trust: 'anonymous' };
}
