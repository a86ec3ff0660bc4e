import type {
  CompanyMember,
  CompanyRecord,
  CompanyRequest,
  CompanyWithMembers,
  PropertiesInput,
  StoredEvent,
  StandardTraits,
  UserCompany,
  UserRecord,
} from '@lumio/protocol';

/** A user as the server API returns it (times are epoch milliseconds). */
export type User = UserRecord;

/** The body of `users.upsert`: standard traits and custom properties; `null` unsets a value. */
export interface UserUpsert extends StandardTraits {
  properties?: PropertiesInput;
  /** Companies the user belongs to (trusted): each is created or updated with the values given, and joined. */
  companies?: CompanyRequest[];
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

/** What `users.merge` is told: the old id whose data moves to the user that stays. */
export interface UserMergeRequest {
  from: string | number;
}

/** The answer of `users.merge`. */
export interface UserMerge {
  /** `false` when `from` already was an alias of this user (a retried merge changes nothing). */
  merged: boolean;
  /** The user that stays: the id asked for, or the id that one was itself merged into. */
  userId: string;
  /** The old id, now an alias of `userId`. */
  from: string;
  /** Whether the merge created the user that stays. */
  created: boolean;
  eventsMoved: number;
  anonymousIdsMoved: number;
  user: User;
}

/** A company as the server API returns it (times are epoch milliseconds). */
export type Company = CompanyRecord;

/** A company with how many users belong to it (`companies.get`). */
export type CompanyWithMemberCount = CompanyWithMembers;

/** The body of `companies.upsert`: a name and custom properties; `null` unsets a value. */
export interface CompanyUpsert {
  name?: string | null;
  properties?: PropertiesInput;
}

/** Paging options of `companies.list`. */
export interface ListCompaniesOptions {
  limit?: number;
  cursor?: string;
  /** Matches the start of the company id or name, case ignored. */
  query?: string;
}

/** One page of companies; `nextCursor` is `null` on the last page. */
export interface CompanyPage {
  companies: Company[];
  nextCursor: string | null;
}

/** A user's membership of a company, as `companies.addUser` answers it. */
export type CompanyMembership = UserCompany;

/** Everything the server stores about one company (`companies.export`). */
export interface CompanyExport {
  exportedAt: string;
  company: Company;
  members: CompanyMember[];
  /** The company's own events (`track` with a company and no user), newest first. */
  events: StoredEvent[];
}

/** The answer of `companies.erase`. */
export interface CompanyErasure {
  erased: true;
  companyId: string;
  membershipsDeleted: number;
  /** The company's own events (`track` with a company and no user), deleted with it. */
  eventsDeleted: number;
  /** Users' events that named the company: they stay, naming no company. */
  eventsDetached: number;
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
