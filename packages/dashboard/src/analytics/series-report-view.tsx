import type { SeriesReport } from '@lumio/protocol';
import { useMemo } from 'react';
import { DataTable } from '../ui/data-table.js';
import { formatCount, plural } from '../ui/format.js';
import { bucketLabel, valueLabel } from './bucket-label.js';
import { COMPANIES, EVENTS, PEOPLE } from './count-words.js';
import type { Measure } from './analytics-filters.js';
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
  measure: Measure;
}) {
  return (
    <ReportState query={query} loading="Counting events…">
      {(report) => <SeriesChart report={report} event={event} breakdown={breakdown} measure={measure} />}
    </ReportState>
  );
}

function SeriesChart({ report, event, breakdown, measure }: { report: SeriesReport; event: string; breakdown: string; measure: Measure }) {
  const what = measure === 'count' ? 'Events' : measure === 'uniques' ? 'People' : 'Companies';
  const figures = (line: SeriesReport['series'][number]) =>
    measure === 'count' ? line.counts : measure === 'uniques' ? line.uniques : (line.companies ?? []);
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
        data: figures(line),
      })),
    }),
    [report, labels, measure, breakdown],
  );
  const total = measure === 'count' ? report.totals.count : measure === 'uniques' ? report.totals.uniques : (report.totals.companies ?? 0);
  const summary = `${what} of ${event} per ${report.interval}${breakdown ? `, by ${breakdown}` : ''}: ${formatCount(total)} in the range.`;
  return (
    <div className="stack">
      <p className="analytics-totals">
        <strong>{formatCount(report.totals.count)}</strong> {plural(report.totals.count, EVENTS)} by{' '}
        <strong>{formatCount(report.totals.uniques)}</strong> {plural(report.totals.uniques, PEOPLE)}
        {report.totals.companies !== undefined && (
          <>
            {' '}
            in <strong>{formatCount(report.totals.companies)}</strong> {plural(report.totals.companies, COMPANIES)}
          </>
        )}{' '}
        in the range.
      </p>
      {report.totals.count === 0 ? (
        <p className="muted">No {event} events match these filters in this range.</p>
      ) : measure === 'companies' && total === 0 ? (
        <p className="muted">None of the people behind these events belongs to a company.</p>
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
              cell: (_: number, row: number) => formatCount(figures(line)[row] ?? 0),
            })),
          ]}
        />
      </details>
    </div>
  );
}
