import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { ReportFilter } from '@lumio/protocol';
import { ConditionError, type Condition } from '@lumio/targeting';
import { z } from 'zod';
import type { AppDeps } from '../../http/app-deps.js';
import { LumioError } from '../../errors/lumio-error.js';
import { checkCondition, type SegmentsService } from '../../segments/segments-service.js';
import { conditionError } from '../../errors/condition-error.js';
import { conditionToSql } from '../../targeting/condition-sql.js';
import { InterestsReader } from '../../interests/interests-reader.js';

/** The longest range one report covers. */
export const MAX_REPORT_RANGE_MS = 400 * 86_400_000;

/** The filter fields of every report request body. */
export const reportFilterFields = {
  from: z.number().int().min(0),
  to: z.number().int().min(0),
  condition: z.unknown().optional(),
  segmentId: z.string().min(1).max(64).optional(),
  on: z.enum(['snapshot', 'current']).optional(),
  properties: z.enum(['all', 'trusted']).optional(),
  verifiedOnly: z.boolean().optional(),
  widgetId: z.string().min(1).max(64).optional(),
};

/** What a compiled filter gives a report's query. */
export interface CompiledFilter {
  /**
   * The property part of the filter as a predicate over a table with
   * `snapshot_id` and `person` columns (events or the person-day rollup) under
   * the alias given; TRUE when the filter has no condition or segment.
   */
  who(alias: string): RawBuilder<SqlBool>;
  /** `alias.trust = 'verified'` when verified-only, TRUE otherwise. */
  trust(alias: string): RawBuilder<SqlBool>;
}

/** Checks a filter's range and condition, and compiles its property part to SQL (segments resolved once). */
export async function compileFilter(
  deps: Pick<AppDeps, 'adapter' | 'clock'>,
  segments: Pick<SegmentsService, 'resolver'>,
  workspaceId: string,
  filter: ReportFilter,
): Promise<CompiledFilter> {
  if (filter.to <= filter.from) throw new LumioError('invalid_request', '"to" must be after "from".', { field: 'to' });
  if (filter.to - filter.from > MAX_REPORT_RANGE_MS) {
    throw new LumioError('invalid_request', 'A report covers at most 400 days; narrow the range.', { field: 'from' });
  }
  const parts: Condition[] = [];
  if (filter.condition !== undefined && filter.condition !== null) parts.push(checkCondition(filter.condition));
  if (filter.segmentId) parts.push({ $segment: filter.segmentId });
  const trust = (alias: string) => (filter.verifiedOnly ? sql<SqlBool>`${sql.ref(`${alias}.trust`)} = 'verified'` : sql<SqlBool>`TRUE`);
  if (parts.length === 0) return { who: () => sql<SqlBool>`TRUE`, trust };
  const condition: Condition = parts.length === 1 ? parts[0]! : { $and: parts };
  const [segment, halfLifeDays] = await Promise.all([
    segments.resolver(workspaceId),
    new InterestsReader(deps.adapter.db).halfLifeDays(workspaceId),
  ]);
  const options = {
    dialect: deps.adapter.name,
    // Relative dates and ages count from the end of the range.
    now: filter.to,
    view: filter.properties ?? 'all',
    segment,
    // Interests are the person's current ones (the verified partition's levels now), not as of each event:
    // interest_scores keeps no history (docs/analytics.md, "Filters on interests").
    interests: { halfLifeDays, now: deps.clock.now() },
  } as const;
  let predicate: RawBuilder<SqlBool>;
  try {
    predicate = conditionToSql(condition, { ...options, table: filter.on === 'current' ? 'fu' : 'fs' });
  } catch (error) {
    if (error instanceof ConditionError) throw conditionError(error.issues);
    throw error;
  }
  // On SQLite, a unary + keeps the planner from driving the scan by this list
  // (a skip-scan of the daily rollup's key over every name and day per listed
  // snapshot, 10x slower at 10M events): a report reads its name and time
  // range and filters.
  const column = (alias: string, name: string) =>
    deps.adapter.name === 'sqlite' ? sql`+${sql.ref(`${alias}.${name}`)}` : sql.ref(`${alias}.${name}`);
  if (filter.on === 'current') {
    return {
      trust,
      who: (alias) =>
        // By person ('u:' + userId, as personOf writes it): events_report covers it, not user_id.
        sql<SqlBool>`${column(alias, 'person')} in (select 'u:' || fu.user_id from users fu where fu.workspace_id = ${workspaceId} and ${predicate})`,
    };
  }
  return {
    trust,
    who: (alias) =>
      sql<SqlBool>`${column(alias, 'snapshot_id')} in (select fs.id from event_snapshots fs where fs.workspace_id = ${workspaceId} and ${predicate})`,
  };
}
