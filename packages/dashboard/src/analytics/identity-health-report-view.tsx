import type { IdentityHealthReport } from '@lumio/protocol';
import { useMemo } from 'react';
import { DataTable } from '../ui/data-table.js';
import { formatCount, formatPercent, plural } from '../ui/format.js';
import { bucketLabel } from './bucket-label.js';
import { EChart } from './echart.js';
import { ReportState } from './report-state.js';
import { identityChartOption } from './identity-chart-option.js';
import type { useReport } from './use-report.js';

/** Identify outcomes over time (verified rate as a line, outcomes as stacked bars), and the failures' reasons with what to fix. */
export function IdentityHealthReportView({ query }: { query: ReturnType<typeof useReport<IdentityHealthReport>> }) {
  return <ReportState query={query}>{(report) => <IdentityHealth report={report} />}</ReportState>;
}

function IdentityHealth({ report }: { report: IdentityHealthReport }) {
  const labels = useMemo(() => report.buckets.map((b) => bucketLabel(b, report.interval)), [report]);
  const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);
  const verified = sum(report.verified);
  const identified = sum(report.identified);
  const failed = sum(report.failed);
  const calls = verified + identified + failed;
  const option = useMemo(() => identityChartOption(report, labels), [report, labels]);
  return (
    <div className="stack">
      <p className="analytics-totals">
        <strong>{formatCount(calls)}</strong> {plural(calls, { one: 'identify call', other: 'identify calls' })}:{' '}
        {formatPercent(verified, calls)} verified, {formatPercent(identified, calls)} unsigned, {formatPercent(failed, calls)} failed.
      </p>
      {calls === 0 ? (
        <p className="muted">No identify calls in this range.</p>
      ) : (
        <EChart option={option} label="Identify calls per bucket by outcome, and the verified rate." />
      )}
      <section aria-labelledby="identity-failures">
        <h2 id="identity-failures">Failures by reason</h2>
        <DataTable
          rows={report.failures}
          rowKey={(f) => f.reason}
          empty="No identify call failed in this range."
          columns={[
            { header: 'Reason', rowHeader: true, cell: (f) => <code>{f.reason}</code> },
            { header: 'Calls', cell: (f) => formatCount(f.count) },
            { header: 'What to fix', cell: (f) => f.hint },
          ]}
        />
      </section>
      <details className="analytics-table">
        <summary>Show calls over time as a table</summary>
        <DataTable
          rows={report.buckets}
          rowKey={(bucket) => bucket}
          columns={[
            { header: report.interval === 'hour' ? 'Hour (UTC)' : 'Day (UTC)', rowHeader: true, cell: (_, i) => labels[i] },
            { header: 'Verified', cell: (_, i) => formatCount(report.verified[i] ?? 0) },
            { header: 'Identified (unsigned)', cell: (_, i) => formatCount(report.identified[i] ?? 0) },
            { header: 'Failed', cell: (_, i) => formatCount(report.failed[i] ?? 0) },
            { header: 'Verified rate', cell: (_, i) => (report.verifiedRate[i] == null ? '—' : formatPercent(report.verifiedRate[i]!, 1)) },
          ]}
        />
      </details>
    </div>
  );
}
