import type { PropertiesInput, StandardTraits, UserRecord } from '@lumio/protocol';

/** A user as the server API returns it (times are epoch milliseconds). */
export type User = UserRecord;

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
