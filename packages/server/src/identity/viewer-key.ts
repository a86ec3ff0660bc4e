/** The session facts that decide whose private widget data (announcement state, saved articles) applies. */
export interface ViewerSession {
  state: 'anonymous' | 'identified' | 'verified';
  userId?: string | null | undefined;
  anonymousId: string;
}

/**
 * The key a session's private widget data is kept under. Verified users share
 * one across devices (`v:<userId>`); an identified-but-unverified session
 * (anyone can claim a userId) is kept apart from it (`i:<userId>`), so it can
 * neither read nor spoil the verified user's; anonymous visitors are keyed by
 * their anonymous id (`a:<anonymousId>`).
 */
export function viewerOf(session: ViewerSession): string {
  if (session.state === 'verified' && session.userId) return `v:${session.userId}`;
  if (session.state === 'identified' && session.userId) return `i:${session.userId}`;
  return `a:${session.anonymousId}`;
}

/** The keys of a user's own data, verified and unverified (export and erase). */
export function userViewerKeys(userId: string): string[] {
  return [`v:${userId}`, `i:${userId}`];
}
