import type { PropertiesInput, StandardTraits, TrustLevel } from '@lumio/protocol';

/** Where a stored value came from, which decides whether it may be overwritten. */
export type ValueSource = 'unverified' | 'claimed' | 'trusted';

/** A user as the server API returns it. */
export interface User {
  userId: string;
  name: string | null;
  email: string | null;
  birthday: string | null;
  gender: string | null;
  properties: Record<string, unknown>;
  trust: TrustLevel;
  /** The source of each stored value, keyed by trait or property name. */
  sources: Record<string, ValueSource>;
  createdAt: string;
  updatedAt: string;
  lastSeenAt: string | null;
}

/** The body of `users.upsert`: standard traits and custom properties; `null` unsets a value. */
export interface UserUpsert extends StandardTraits {
  properties?: PropertiesInput;
}

/** Paging options of `users.list`. */
export interface ListUsersOptions {
  /** Page size; the server applies its own default and maximum. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** One page of users; `nextCursor` is `null` on the last page. */
export interface UserPage {
  users: User[];
  nextCursor: string | null;
}

/** Everything the server stores about one user, as returned by `users.export`. */
export type UserExport = Record<string, unknown>;

/** The answer of `users.erase`. */
export interface UserErasure {
  erased: true;
  [key: string]: unknown;
}
