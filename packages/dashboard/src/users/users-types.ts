// The users' shapes as the dashboard API answers them. NOTE: keep in step
// with UserRecord in packages/protocol and packages/server/src/users/.

/** How far a user has been proven: `verified` (signed) or `identified` (claimed userId). */
export type TrustLevel = 'identified' | 'verified';

/** Where a stored value came from, weakest first. */
export type ValueSource = 'unverified' | 'claimed' | 'trusted';

/** A stored user. Times are epoch ms. */
export interface UserView {
  userId: string;
  name: string | null;
  email: string | null;
  birthday: string | null;
  gender: string | null;
  properties: Record<string, unknown>;
  trust: TrustLevel;
  /** The source of each value, keyed `name`, `email`, … or `properties.<key>`. */
  sources: Record<string, ValueSource>;
  createdAt: number;
  updatedAt: number;
  lastSeenAt: number | null;
}

/** A page of users. */
export interface UsersPage {
  users: UserView[];
  nextCursor: string | null;
}

/** `GET /users/:userId`. */
export interface UserProfile {
  user: UserView;
  /** Anonymous ids (browsers) linked to the user. */
  anonymousIds: number;
}

/** One analytics event of a user. */
export interface UserEvent {
  eventId: string;
  widgetId: string;
  name: string;
  at: number;
  userId: string | null;
  anonymousId: string;
  trust: string;
  object: string | null;
  props: Record<string, unknown>;
}
