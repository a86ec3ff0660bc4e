import type { Attributes } from '@lumio/targeting';
import type { UsersStore, UserView } from '../users/users-store.js';
import { userAttributes } from './user-attributes.js';

/** The identity of a widget session, as targeting needs it. */
export interface TargetedSession {
  state: 'anonymous' | 'identified' | 'verified';
  userId?: string | null | undefined;
}

/** Which stored values an audience may read: all of them, or only those a trusted source wrote. */
export type AudienceProperties = 'all' | 'trusted';

/** The attributes of one session for each properties mode, built at most once per request. */
export type SessionAttributes = (properties: AudienceProperties) => Attributes;

/**
 * The attributes a widget session is targeted on, per trust partition: a
 * verified session on the stored profile (or its trusted values only); an
 * identified-but-unverified one only on what unverified sessions wrote, since
 * anyone can claim its userId, and on nothing of the profile when the audience
 * asks for trusted values; an anonymous one has no profile. `trust` is the
 * session's own level. `user` is the stored user of the session's userId.
 */
export function sessionAttributes(session: TargetedSession, user: UserView | null): SessionAttributes {
  const built: Partial<Record<AudienceProperties, Attributes>> = {};
  return (properties) => (built[properties] ??= attributesFor(session, user, properties));
}

/** Reads the session's stored user (none for an anonymous session) and gives its {@link sessionAttributes}. */
export async function loadSessionAttributes(
  users: Pick<UsersStore, 'get'>,
  workspaceId: string,
  session: TargetedSession,
): Promise<SessionAttributes> {
  const user = session.state === 'anonymous' || !session.userId ? null : await users.get(workspaceId, session.userId);
  return sessionAttributes(session, user);
}

function attributesFor(session: TargetedSession, user: UserView | null, properties: AudienceProperties): Attributes {
  if (session.state === 'verified' && user)
    return { ...userAttributes(user, properties === 'trusted' ? 'trusted' : 'all'), trust: 'verified' };
  if (session.state === 'identified' && user && properties === 'all') return { ...userAttributes(user, 'unverified'), trust: 'identified' };
  if (session.state !== 'anonymous' && session.userId) return { userId: session.userId, trust: session.state };
  return { trust: 'anonymous' };
}
