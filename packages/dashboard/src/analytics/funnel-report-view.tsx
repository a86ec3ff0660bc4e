import { useMemo } from 'react';
import { formatCount, formatPercent } from '../ui/format.js';
import { QueryState } from '../ui/query-state.js';
import type { FunnelReport } from './analytics-types.js';
import { EChart } from './echart.js';
import type { useReport } from './use-report.js';

/** The announcement funnel: shown → clicked / dismissed per announcement, as bars and as a table. */
export function FunnelReportView({ query }: { query: ReturnType<typeof useReport<FunnelReport>> }) {
  return (
    <QueryState query={query} loading="Counting announcement views…">
      {(report) =>
        report.announcements.length === 0 ? (
          <p className="muted">No announcement was shown to users matching these filters in this range.</p>
        ) : (
          <FunnelChart report={report} />
        )
      }
    </QueryState>
  );
}

function FunnelChart({ report }: { report: FunnelReport }) {
  const rows = report.announcements;
  const name = (row: FunnelReport['announcements'][number]) => row.title ?? `Deleted (${row.announcementId})`;
  const option = useMemo(
    () => ({
      // Patterns as well as colours tell the bars apart.
      aria: { enabled: true, decal: { show: true } },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 16, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: rows.map((r) => truncate(name(r), 32)) },
      series: (['shown', 'clicked', 'dismissed'] as const).map((step) => ({
        name: step === 'shown' ? 'Shown' : step === 'clicked' ? 'Clicked' : 'Dismissed',
        type: 'bar',
        data: rows.map((r) => r[step].uniques),
      })),
    }),
    [rows],
  );
  return (
    <div className="stack">
      <EChart
        option={option}
        label="People who were shown, clicked and dismissed each announcement."
        height={Math.max(200, 48 * rows.length + 60)}
      />
      <div className="table-wrap">
        <table>
          <caption className="sr-only">Announcement funnel</caption>
          <thead>
            <tr>
              <th scope="col">Announcement</th>
              <th scope="col">Shown (people)</th>
              <th scope="col">Clicked (people)</th>
              <th scope="col">Dismissed (people)</th>
              <th scope="col">Click rate</th>
              <th scope="col">Dismiss rate</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.announcementId}>
                <th scope="row">{name(row)}</th>
                <td>
                  {formatCount(row.shown.uniques)} <span className="muted small">({formatCount(row.shown.count)} times)</span>
                </td>
                <td>{formatCount(row.clicked.uniques)}</td>
                <td>{formatCount(row.dismissed.uniques)}</td>
                <td>{row.clickRate === null ? '—' : formatPercent(row.clickRate, 1)}</td>
                <td>{row.dismissRate === null ? '—' : formatPercent(row.dismissRate, 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
