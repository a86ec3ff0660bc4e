import { useMemo } from 'react';
import { formatCount, formatPercent } from '../ui/format.js';
import { QueryState } from '../ui/query-state.js';
import type { IdentityHealthReport } from './analytics-types.js';
import { bucketLabel } from './bucket-label.js';
import { EChart } from './echart.js';
import type { useReport } from './use-report.js';

/** Identify outcomes over time (verified rate as a line, outcomes as stacked bars), and the failures' reasons with what to fix. */
export function IdentityHealthReportView({ query }: { query: ReturnType<typeof useReport<IdentityHealthReport>> }) {
  return <QueryState query={query}>{(report) => <IdentityHealth report={report} />}</QueryState>;
}

function IdentityHealth({ report }: { report: IdentityHealthReport }) {
  const labels = useMemo(() => report.buckets.map((b) => bucketLabel(b, report.interval)), [report]);
  const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);
  const verified = sum(report.verified);
  const identified = sum(report.identified);
  const failed = sum(report.failed);
  const calls = verified + identified + failed;
  const option = useMemo(
    () => ({
      aria: { enabled: true, decal: { show: true } },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 48, top: 36, bottom: 32 },
      xAxis: { type: 'category', data: labels },
      yAxis: [
        { type: 'value', name: 'Calls', minInterval: 1 },
        { type: 'value', name: 'Verified', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      ],
      series: [
        { name: 'Verified', type: 'bar', stack: 'calls', data: report.verified },
        { name: 'Identified (unsigned)', type: 'bar', stack: 'calls', data: report.identified },
        { name: 'Failed', type: 'bar', stack: 'calls', data: report.failed },
        {
          name: 'Verified rate',
          type: 'line',
          yAxisIndex: 1,
          connectNulls: false,
          lineStyle: { type: 'dashed', width: 2 },
          data: report.verifiedRate.map((r) => (r === null ? null : Math.round(r * 1000) / 10)),
        },
      ],
    }),
    [report, labels],
  );
  return (
    <div className="stack">
      <p className="analytics-totals">
        <strong>{formatCount(calls)}</strong> identify calls: {formatPercent(verified, calls)} verified, {formatPercent(identified, calls)}{' '}
        unsigned, {formatPercent(failed, calls)} failed.
      </p>
      {calls === 0 ? (
        <p className="muted">No identify calls in this range.</p>
      ) : (
        <EChart option={option} label="Identify calls per bucket by outcome, and the verified rate." />
      )}
      <section aria-labelledby="identity-failures">
        <h2 id="identity-failures">Failures by reason</h2>
        {report.failures.length === 0 ? (
          <p className="muted">No identify call failed in this range.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Reason</th>
                  <th scope="col">Calls</th>
                  <th scope="col">What to fix</th>
                </tr>
              </thead>
              <tbody>
                {report.failures.map((f) => (
                  <tr key={f.reason}>
                    <th scope="row">
                      <code>{f.reason}</code>
                    </th>
                    <td>{formatCount(f.count)}</td>
                    <td>{f.hint}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <details className="analytics-table">
        <summary>Show calls over time as a table</summary>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{report.interval === 'hour' ? 'Hour (UTC)' : 'Day (UTC)'}</th>
                <th scope="col">Verified</th>
                <th scope="col">Identified (unsigned)</th>
                <th scope="col">Failed</th>
                <th scope="col">Verified rate</th>
              </tr>
            </thead>
            <tbody>
              {report.buckets.map((bucket, i) => (
                <tr key={bucket}>
                  <th scope="row">{labels[i]}</th>
                  <td>{formatCount(report.verified[i] ?? 0)}</td>
                  <td>{formatCount(report.identified[i] ?? 0)}</td>
                  <td>{formatCount(report.failed[i] ?? 0)}</td>
                  <td>{report.verifiedRate[i] == null ? '—' : formatPercent(report.verifiedRate[i]!, 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
