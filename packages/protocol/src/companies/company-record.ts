import type { ValueSource } from '../identity/user-record.js';

/** A company as the server API returns it. Times are epoch milliseconds. */
export interface CompanyRecord {
  companyId: string;
  name: string | null;
  properties: Record<string, unknown>;
  /** The source of each stored value, keyed `name` or `properties.<key>`. */
  sources: Record<string, ValueSource>;
  createdAt: number;
  updatedAt: number;
}

/** One member of a company: `source` says how the membership was learned (trusted, claimed or unverified). */
export interface CompanyMember {
  userId: string;
  source: ValueSource;
  joinedAt: number;
}

/** One company of a user (a user export, `GET /server/v1/users/:userId/companies`). */
export interface UserCompany {
  companyId: string;
  name: string | null;
  source: ValueSource;
  joinedAt: number;
}

/** `GET /server/v1/companies`: a page of companies by id; the next page is `cursor: nextCursor`. */
export interface CompaniesPage {
  companies: CompanyRecord[];
  nextCursor: string | null;
}

/** `GET /server/v1/companies/:companyId`: the company with its member count. */
export interface CompanyWithMembers extends CompanyRecord {
  memberCount: number;
}
