import { COMPANIES_ATTRIBUTE, type Attributes, type TargetedCompany } from '@lumio/targeting';
import type { ValueSource } from '@lumio/protocol';
import type { UserView } from '../users/users-store.js';

/**
 * Which stored values a condition sees: `all` of them, only those a `trusted`
 * source wrote (a signed token or the server API), or only those an
 * `unverified` session wrote (what such a session may read back of itself).
 */
export type AttributesView = 'all' | 'trusted' | 'unverified';

/**
 * What {@link userAttributes} reads of a user: a {@link UserView} from the
 * users store will do, with the user's companies (user-companies.ts) when a
 * condition reads `company.<key>`.
 */
export type TargetedUser = Pick<UserView, 'userId' | 'name' | 'email' | 'birthday' | 'gender' | 'properties' | 'sources' | 'trust'> & {
  companies?: TargetedMembership[] | undefined;
};

/** One company a user belongs to, as stored: its values with their sources, and how the membership was learned. */
export interface TargetedMembership {
  companyId: string;
  name: string | null;
  properties: Record<string, unknown>;
  /** Each value's source (`name`, `properties.<key>`), as a user's. */
  sources: Record<string, ValueSource>;
  /** The membership's own source (company_members.source). */
  membership: ValueSource;
}

// NOTE: condition-sql.ts reads these same names from the same columns; a
// property of one of these names is never an attribute.
/** Standard traits: attributes read from their own columns. */
export const TRAIT_ATTRIBUTES = ['name', 'email', 'birthday', 'gender'] as const;
/** Attributes that are neither traits nor properties (`interests` holds the interest levels by topic). */
export const USER_ATTRIBUTES = ['userId', 'trust', 'interests'] as const;

/**
 * Whose interest profile `interests.<topic>` reads for a stored user in a
 * view: the verified partition (`v:`, identity/viewer-key.ts), or the
 * unverified claimant's (`i:`) for the `unverified` view, which is what such a
 * session may read of itself.
 */
// NOTE: condition-sql.ts reads interest_scores under this same prefix.
export function interestPartition(view: AttributesView): 'v:' | 'i:' {
  return view === 'unverified' ? 'i:' : 'v:';
}

const RESERVED = new Set<string>([...TRAIT_ATTRIBUTES, ...USER_ATTRIBUTES]);
// Never stored (validateProperties refuses them), and never to be set on a plain object.
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The attributes a targeting condition is evaluated against for a stored
 * user: custom properties at the top level, the standard traits from their
 * own columns, `userId` and `trust`, and the `interests` given (the levels
 * of the user's {@link interestPartition} for this view, when the caller read
 * them). Values the view does not count are left out (missing, as if never
 * set), not null.
 *
 * @example
 * userAttributes(user, 'trusted') // { plan: 'pro', email: 'ada@example.com', userId: 'u_1', trust: 'verified' }
 */
export function userAttributes(user: TargetedUser, view: AttributesView = 'all', interests?: Record<string, number>): Attributes {
  const counts = (sourceKey: string) => view === 'all' || user.sources[sourceKey] === view;
  const attributes: Attributes = {};
  for (const [key, value] of Object.entries(user.properties)) {
    if (RESERVED.has(key) || FORBIDDEN.has(key) || value === null || value === undefined) continue;
    if (counts(`properties.${key}`)) attributes[key] = value;
  }
  for (const trait of TRAIT_ATTRIBUTES) {
    const value = user[trait];
    if (value !== null && counts(trait)) attributes[trait] = value;
  }
  attributes.userId = user.userId;
  attributes.trust = user.trust;
  if (interests) attributes.interests = interests;
  if (user.companies) attributes[COMPANIES_ATTRIBUTE] = companyAttributes(user.companies, view);
  return attributes;
}

/**
 * The companies `company.<key>` reads in a view: as for the user's own values,
 * `all` counts every membership and value, `trusted` only those a trusted
 * source wrote (server API, signed token), `unverified` only those an
 * unverified session wrote. A value the view does not count is missing.
 */
// NOTE: condition-sql.ts (someCompany) counts the same memberships and values in SQL.
export function companyAttributes(memberships: readonly TargetedMembership[], view: AttributesView): TargetedCompany[] {
  const out: TargetedCompany[] = [];
  for (const m of memberships) {
    if (view !== 'all' && m.membership !== view) continue;
    const counts = (sourceKey: string) => view === 'all' || m.sources[sourceKey] === view;
    const properties: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(m.properties))
      if (!FORBIDDEN.has(key) && value !== null && value !== undefined && counts(`properties.${key}`)) properties[key] = value;
    out.push({ id: m.companyId, name: m.name !== null && counts('name') ? m.name : null, properties });
  }
  return out;
}
