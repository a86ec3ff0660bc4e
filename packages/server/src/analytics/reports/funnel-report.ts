import { sql } from 'kysely';
import type { FunnelReport, FunnelRequest } from '@lumio/protocol';
import type { AppDeps } from '../../http/app-deps.js';
import type { CompiledFilter } from './report-filter.js';
import { byText, eventsWhere, reportEvents, toCount } from './report-sql.js';

const SHOWN = '$announcement_shown';
const CLICKED = '$announcement_clicked';
const DISMISSED = '$announcement_dismissed';

/**
 * Counts each announcement's shown, clicked and dismissed events in one
 * query: first one row per announcement and person (how often each step
 * happened), then per announcement, so a rate counts persons who did both.
 */
export async function funnelReport(
  deps: Pick<AppDeps, 'db' | 'adapter'>,
  workspaceId: string,
  request: FunnelRequest,
  filter: CompiledFilter,
): Promise<FunnelReport> {
  const where = eventsWhere('e', workspaceId, [SHOWN, CLICKED, DISMISSED], request, filter);
  const only = request.announcementId === undefined ? sql`` : sql` AND e.object = ${request.announcementId}`;
  const step = (name: string) => sql`sum(CASE WHEN e.name = ${name} THEN 1 ELSE 0 END)`;
  const { rows } = await sql<Record<string, unknown> & { o: string; title: string | null }>`
    WITH per AS (
      SELECT e.object AS o, ${step(SHOWN)} AS shown, ${step(CLICKED)} AS clicked, ${step(DISMISSED)} AS dismissed
      FROM ${reportEvents(deps.adapter.name)} WHERE ${where} AND e.object IS NOT NULL${only} GROUP BY e.object, e.person
    )
    SELECT per.o, a.title,
      sum(per.shown) AS shown, sum(CASE WHEN per.shown > 0 THEN 1 ELSE 0 END) AS shown_u,
      sum(per.clicked) AS clicked, sum(CASE WHEN per.clicked > 0 THEN 1 ELSE 0 END) AS clicked_u,
      sum(per.dismissed) AS dismissed, sum(CASE WHEN per.dismissed > 0 THEN 1 ELSE 0 END) AS dismissed_u,
      sum(CASE WHEN per.shown > 0 AND per.clicked > 0 THEN 1 ELSE 0 END) AS shown_clicked,
      sum(CASE WHEN per.shown > 0 AND per.dismissed > 0 THEN 1 ELSE 0 END) AS shown_dismissed
    FROM per LEFT JOIN announcements a ON a.workspace_id = ${workspaceId} AND a.id = per.o
    GROUP BY per.o, a.title
    ORDER BY shown_u DESC, shown DESC, ${byText(deps.adapter.name, sql.ref('per.o'))}`.execute(deps.db);
  return {
    announcements: rows.map((r) => {
      const shownUniques = toCount(r.shown_u);
      const rate = (persons: unknown) => (shownUniques === 0 ? null : toCount(persons) / shownUniques);
      return {
        announcementId: r.o,
        title: r.title,
        shown: { count: toCount(r.shown), uniques: shownUniques },
        clicked: { count: toCount(r.clicked), uniques: toCount(r.clicked_u) },
        dismissed: { count: toCount(r.dismissed), uniques: toCount(r.dismissed_u) },
        clickRate: rate(r.shown_clicked),
        dismissRate: rate(r.shown_dismissed),
      };
    }),
  };
}
