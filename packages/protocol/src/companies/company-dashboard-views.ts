import type { TrustLevel } from '../identity/trust-levels.js';
import type { ValueSource } from '../identity/user-record.js';
import type { UserEventView } from '../users/user-views.js';

/** One company of the dashboard's Companies list. Times are epoch milliseconds. */
export interface CompanyListRow {
  companyId: string;
  name: string | null;
  /** How many users belong to it. */
  people: number;
  createdAt: number;
  updatedAt: number;
}

/** `GET …/companies`: a page of companies by company id; the next page is `?cursor=nextCursor`. */
export interface CompanyListAnswer {
  companies: CompanyListRow[];
  nextCursor: string | null;
}

/** A company with its values and where each came from (`name`, `properties.<key>`), as users' profiles keep them. */
export interface CompanyProfileView {
  companyId: string;
  name: string | null;
  properties: Record<string, unknown>;
  sources: Record<string, ValueSource>;
  createdAt: number;
  updatedAt: number;
}

/** One person of a company: the user, and how their membership was learned (trusted only from the server API or a signed token). */
export interface CompanyPerson {
  userId: string;
  name: string | null;
  email: string | null;
  trust: TrustLevel;
  membership: ValueSource;
  lastSeenAt: number | null;
}

/**
 * `GET …/companies/:companyId`: the company, a page of its people by userId
 * (the next is `?cursor=nextPeopleCursor`) with how many there are in all,
 * and the latest events of its most recently seen people, newest first.
 */
export interface CompanyPageAnswer {
  company: CompanyProfileView;
  people: CompanyPerson[];
  peopleCount: number;
  nextPeopleCursor: string | null;
  activity: UserEventView[];
}
