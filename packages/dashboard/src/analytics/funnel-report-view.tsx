import type { FunnelReport } from '@lumio/protocol';
import { useMemo } from 'react';
import { DataTable } from '../ui/data-table.js';
import { countOf, formatCount, formatPercent } from '../ui/format.js';
import { EChart } from './echart.js';
import { ReportState } from './report-state.js';
import type { useReport } from './use-report.js';

/** The announcement funnel: shown → clicked / dismissed per announcement, as bars and as a table. */
export function FunnelReportView({ query }: { query: ReturnType<typeof useReport<FunnelReport>> }) {
  return (
    <ReportState query={query} loading="Counting announcement views…">
      {(report) =>
        report.announcements.length === 0 ? (
          <p className="muted">No announcement was shown to users matching these filters in this range.</p>
        ) : (
          <FunnelChart report={report} />
        )
      }
    </ReportState>
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
      <DataTable
        rows={rows}
        rowKey={(row) => row.announcementId}
        caption="Announcement funnel"
        columns={[
          { header: 'Announcement', rowHeader: true, cell: name },
          {
            header: 'Shown (people)',
            cell: (row) => (
              <>
                {formatCount(row.shown.uniques)}{' '}
                <span className="muted small">({countOf(row.shown.count, { one: 'time', other: 'times' })})</span>
              </>
            ),
          },
          { header: 'Clicked (people)', cell: (row) => formatCount(row.clicked.uniques) },
          { header: 'Dismissed (people)', cell: (row) => formatCount(row.dismissed.uniques) },
          { header: 'Click rate', cell: (row) => (row.clickRate === null ? '—' : formatPercent(row.clickRate, 1)) },
          { header: 'Dismiss rate', cell: (row) => (row.dismissRate === null ? '—' : formatPercent(row.dismissRate, 1)) },
        ]}
      />
    </div>
  );
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
