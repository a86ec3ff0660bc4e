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

/** One event for `lumio.track()`: at least one of `userId` and `company`. */
export interface TrackedEvent {
  /** Your event's name (letters, digits, spaces, `_ . : / -`; not starting with `$`). */
  name: string;
  userId?: string | number;
  /** Your id of the company it happened to. */
  company?: string | number;
  /** Flat values: string, number, boolean, ISO date string or a list of strings. */
  properties?: Record<string, string | number | boolean | string[]>;
  /** When it happened, epoch ms; the time of the `track()` call by default. */
  at?: number;
  /** Your idempotency key (8–64 letters, digits, `_`, `-`); a random one by default. The same id is stored once. */
  id?: string;
}
