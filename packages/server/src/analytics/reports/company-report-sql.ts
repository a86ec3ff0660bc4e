import { sql, type RawBuilder } from 'kysely';
import { companyPath } from '@lumio/targeting';
import { isPropertyKey } from '@lumio/protocol';
import type { DialectName } from '../../db/dialects/dialect-adapter.js';
import { LumioError } from '../../errors/lumio-error.js';
import { jsonValueText } from './attribute-value-sql.js';

// Reports read companies at query time, through the memberships of each
// event's user as they are now (docs/analytics.md, "Companies"): events keep a
// snapshot of the user's own profile only.

/** A company attribute a report breaks down by: the company's id, its name, or one of its properties. */
export type CompanyAttribute = { kind: 'id' } | { kind: 'name' } | { kind: 'property'; key: string };

/**
 * The company attribute of a breakdown path (`company.plan`), undefined for
 * any other path; a bad one (`company.`, `company.a.b`) is a 400 naming `breakdown`.
 */
export function companyBreakdown(path: string): CompanyAttribute | undefined {
  const parsed = companyPath(path);
  if (!parsed) return undefined;
  if (parsed.rest.length > 0 || !isPropertyKey(parsed.key) || parsed.key.includes('"')) {
    throw new LumioError(
      'invalid_request',
      `breakdown: "${path.slice(0, 80)}" is not a company attribute; write "company.id", "company.name" or "company." and a property key, such as "company.plan".`,
      { field: 'breakdown' },
    );
  }
  if (parsed.key === 'id') return { kind: 'id' };
  if (parsed.key === 'name') return { kind: 'name' };
  return { kind: 'property', key: parsed.key };
}

/** Which memberships and company values a report counts: all, or only those a trusted source wrote (as in conditions). */
type View = 'all' | 'trusted' | undefined;

/**
 * The `pc` common table: one row per person of `persons` (a table with a
 * column `p`, `'u:' + userId` for users), company `c` they belong to, and
 * that company's value `k` of `attribute` as text (NULL without one, or
 * without an attribute). Anonymous persons belong to none. A company's own
 * server-side events (person `'c:' + companyId`, migration 0026) belong to
 * that company, as if by a trusted membership (the host's backend sent them).
 */
export function personCompaniesSql(options: {
  dialect: DialectName;
  workspaceId: string;
  persons: string;
  attribute?: CompanyAttribute | undefined;
  view: View;
}): RawBuilder<unknown> {
  const { workspaceId, persons } = options;
  const value = options.attribute ? companyValueSql(options.dialect, options.attribute, options.view) : sql`NULL`;
  // NOTE: as someCompany in targeting/condition-sql.ts: the trusted view counts trusted memberships only.
  const trusted = options.view === 'trusted' ? sql` AND m.source = 'trusted'` : sql``;
  return sql`pq AS MATERIALIZED (SELECT DISTINCT p FROM ${sql.table(persons)}),
  pc AS MATERIALIZED (
    SELECT DISTINCT q.p AS p, m.company_id AS c, ${value} AS k
    FROM pq q
    JOIN company_members m ON m.workspace_id = ${workspaceId} AND substr(q.p, 1, 2) = 'u:' AND m.user_id = substr(q.p, 3)${trusted}
    JOIN companies c ON c.workspace_id = m.workspace_id AND c.company_id = m.company_id
    UNION
    SELECT q.p, c.company_id, ${value}
    FROM pq q
    JOIN companies c ON c.workspace_id = ${workspaceId} AND substr(q.p, 1, 2) = 'c:' AND c.company_id = substr(q.p, 3)
  )`;
}

/**
 * The `ec` common table: one row per bucket `b`, person `p` and company `c`
 * an event names itself (`events.company_id`, set by server-side events):
 * a user's event may name a company the user is no member of. Read from the
 * events (the daily rollup keeps no company) with the report's own
 * conditions (`where` over alias `e`). NOTE: not forced onto `events_report`
 * as other report reads are: that index lacks `company_id`, and the planner
 * may prefer the partial index of company events (migration 0026).
 */
export function eventCompaniesSql(bucket: RawBuilder<number>, where: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`ec AS MATERIALIZED (
    SELECT DISTINCT ${bucket} AS b, e.person AS p, e.company_id AS c FROM events AS e WHERE ${where} AND e.company_id IS NOT NULL
  )`;
}

/** A company's value as text (rendered as users' values are: attribute-value-sql.ts), from `companies` under alias `c`. */
function companyValueSql(dialect: DialectName, attribute: CompanyAttribute, view: View): RawBuilder<string | null> {
  if (attribute.kind === 'id') return sql<string>`c.company_id`;
  const value = attribute.kind === 'name' ? sql<string | null>`c.name` : jsonValueText(dialect, sql.ref('c.properties'), attribute.key);
  if (view !== 'trusted') return value;
  const sourceKey = attribute.kind === 'name' ? 'name' : `properties.${attribute.key}`;
  return sql<string | null>`(CASE WHEN (${jsonValueText(dialect, sql.ref('c.sources'), sourceKey)}) = 'trusted' THEN ${value} END)`;
}
