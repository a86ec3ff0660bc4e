import type { TrustLevel } from './trust-levels.js';

/**
 * Where a stored value came from, weakest first: an unverified identify, the
 * browser of a verified session (claimed), or a signed token / the server API
 * (trusted). A weaker source never overwrites a stronger one.
 */
export type ValueSource = 'unverified' | 'claimed' | 'trusted';

/** A user as the server API returns it. Times are epoch milliseconds. */
export interface UserRecord {
  userId: string;
  name: string | null;
  email: string | null;
  birthday: string | null;
  gender: string | null;
  properties: Record<string, unknown>;
  /** The highest trust level this user has been identified with. */
  trust: TrustLevel;
  /** The source of each stored value, keyed `name`, `email`, … or `properties.<key>`. */
  sources: Record<string, ValueSource>;
  createdAt: number;
  updatedAt: number;
  lastSeenAt: number | null;
}
