import { sql } from 'kysely';
import { ErrorCodes, isErrorCode, type IdentityHealthReport, type IdentityHealthRequest } from '@lumio/protocol';
import type { AppDeps } from '../../http/app-deps.js';
import type { IdentityLog } from '../../identity/identity-log.js';
import { LumioError } from '../../errors/lumio-error.js';
import { MAX_REPORT_RANGE_MS } from './report-filter.js';
import { INTERVAL_MS, bucketStarts, toCount } from './report-sql.js';

// The report tests import the request's type from here.
export type { IdentityHealthRequest };

/** The longest range an hourly identity health report covers. */
export const MAX_HOURLY_RANGE_MS = 31 * 86_400_000;

/**
 * Reads the identity log's hourly counts (written when the log flushes, which
 * this does first). Counts are kept per hour, so the range is widened to
 * whole hours (days for a daily report). The hint of a failure is the error
 * registry's message for its code: it says what the integration should fix.
 */
export async function identityHealthReport(
  deps: Pick<AppDeps, 'db'>,
  identityLog: IdentityLog,
  workspaceId: string,
  request: IdentityHealthRequest,
): Promise<IdentityHealthReport> {
  const { from, to, interval } = request;
  if (to <= from) throw new LumioError('invalid_request', '"to" must be after "from".', { field: 'to' });
  const longest = interval === 'hour' ? MAX_HOURLY_RANGE_MS : MAX_REPORT_RANGE_MS;
  if (to - from > longest) {
    throw new LumioError('invalid_request', `An identity health report by ${interval} covers at most ${longest / 86_400_000} days.`, {
      field: 'from',
    });
  }
  if (request.widgetId !== undefined) {
    const widget = await deps.db
      .selectFrom('widgets')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', request.widgetId)
      .executeTakeFirst();
    if (!widget) throw new LumioError('not_found', 'No such widget in this workspace.');
  }
  await identityLog.flush();

  const buckets = bucketStarts(from, to, interval);
  const size = sql.raw(String(INTERVAL_MS[interval]));
  // Widget first: the stats' primary key leads with it, so a workspace-wide report seeks widget by widget.
  const widgets =
    request.widgetId !== undefined
      ? sql`st.widget_id = ${request.widgetId}`
      : sql`st.widget_id IN (SELECT w.id FROM widgets w WHERE w.workspace_id = ${workspaceId})`;
  const { rows } = await sql<{ b: unknown; outcome: string; reason: string; n: unknown }>`
    SELECT st.hour / ${size} * ${size} AS b, st.outcome, st.reason, sum(st.count) AS n
    FROM identity_stats st
    WHERE ${widgets} AND st.workspace_id = ${workspaceId} AND st.hour >= ${buckets[0]!} AND st.hour < ${to}
    GROUP BY 1, 2, 3`.execute(deps.db);

  const index = new Map(buckets.map((b, i) => [b, i]));
  const zeros = () => buckets.map(() => 0);
  const counts: Record<'verified' | 'identified' | 'failed', number[]> = { verified: zeros(), identified: zeros(), failed: zeros() };
  const reasons = new Map<string, number>();
  for (const row of rows) {
    const at = index.get(Number(row.b));
    const n = toCount(row.n);
    if (at === undefined || !(row.outcome in counts)) continue;
    counts[row.outcome as keyof typeof counts][at]! += n;
    if (row.outcome === 'failed') reasons.set(row.reason, (reasons.get(row.reason) ?? 0) + n);
  }
  const verifiedRate = buckets.map((_, i) => {
    const all = counts.verified[i]! + counts.identified[i]! + counts.failed[i]!;
    return all === 0 ? null : counts.verified[i]! / all;
  });
  const failures = [...reasons]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .map(([reason, count]) => ({ reason, count, hint: hintFor(reason) }));
  return { interval, buckets, ...counts, verifiedRate, failures };
}

/** What to fix for a failure reason: the registry's message for an error code. */
function hintFor(reason: string): string {
  return isErrorCode(reason) ? ErrorCodes[reason].message : 'See the identity log of the widget for the failed calls.';
}
