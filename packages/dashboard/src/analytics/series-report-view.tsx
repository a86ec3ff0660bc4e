import type { SeriesReport } from '@lumio/protocol';
import { useMemo } from 'react';
import { DataTable } from '../ui/data-table.js';
import { formatCount, plural } from '../ui/format.js';
import { bucketLabel, valueLabel } from './bucket-label.js';
import { EVENTS, PEOPLE } from './count-words.js';
import { lineSeriesStyle } from './chart-series-style.js';
import { EChart } from './echart.js';
import { ReportState } from './report-state.js';
import type { useReport } from './use-report.js';

/** The series report: one line per breakdown value over time, with the same figures as a table. */
export function SeriesReportView({
  query,
  event,
  breakdown,
  measure,
}: {
  query: ReturnType<typeof useReport<SeriesReport>>;
  event: string;
  breakdown: string;
  measure: 'count' | 'uniques';
}) {
  return (
    <ReportState query={query} loading="Counting events…">
      {(report) => <SeriesChart report={report} event={event} breakdown={breakdown} measure={measure} />}
    </ReportState>
  );
}

function SeriesChart({
  report,
  event,
  breakdown,
  measure,
}: {
  report: SeriesReport;
  event: string;
  breakdown: string;
  measure: 'count' | 'uniques';
}) {
  const what = measure === 'count' ? 'Events' : 'People';
  const labels = useMemo(() => report.buckets.map((b) => bucketLabel(b, report.interval)), [report]);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { show: report.series.length > 1, top: 0, itemWidth: 36 },
      grid: { left: 48, right: 16, top: report.series.length > 1 ? 36 : 16, bottom: 32 },
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value', minInterval: 1 },
      series: report.series.map((line, i) => ({
        name: valueLabel(line.key),
        type: 'line',
        // Symbols tell equal lines apart: on while they stay legible.
        showSymbol: report.buckets.length <= 90,
        ...lineSeriesStyle(i, breakdown === 'trust' ? line.key : null),
        data: line[measure === 'count' ? 'counts' : 'uniques'],
      })),
    }),
    [report, labels, measure, breakdown],
  );
  const total = report.totals[measure === 'count' ? 'count' : 'uniques'];
  const summary = `${what} of ${event} per ${report.interval}${breakdown ? `, by ${breakdown}` : ''}: ${formatCount(total)} in the range.`;
  return (
    <div className="stack">
      <p className="analytics-totals">
        <strong>{formatCount(report.totals.count)}</strong> {plural(report.totals.count, EVENTS)} by{' '}
        <strong>{formatCount(report.totals.uniques)}</strong> {plural(report.totals.uniques, PEOPLE)} in the range.
      </p>
      {total === 0 ? (
        <p className="muted">No {event} events match these filters in this range.</p>
      ) : (
        <EChart option={option} label={summary} />
      )}
      <details className="analytics-table">
        <summary>Show as a table</summary>
        <DataTable
          rows={report.buckets}
          rowKey={(bucket) => bucket}
          caption={summary}
          columns={[
            {
              header: report.interval === 'hour' ? 'Hour (UTC)' : report.interval === 'week' ? 'Week (UTC)' : 'Day (UTC)',
              rowHeader: true,
              cell: (_, row) => labels[row],
            },
            ...report.series.map((line) => ({
              header: `${report.series.length > 1 ? `${valueLabel(line.key)}: ` : ''}${what.toLowerCase()}`,
              cell: (_: number, row: number) => formatCount((measure === 'count' ? line.counts : line.uniques)[row] ?? 0),
            })),
          ]}
        />
      </details>
    </div>
  );
}
