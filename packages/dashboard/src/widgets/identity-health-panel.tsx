import type { IdentityStats, WidgetView } from '@lumio/protocol';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { DataTable } from '../ui/data-table.js';
import { countOf, formatCount, formatDateTime, formatPercent, formatTime } from '../ui/format.js';
import { QueryState } from '../ui/query-state.js';
import { SelectField } from '../ui/select-field.js';
import { failureHint, failureLabel } from './failure-hints.js';
import { bucketHours, toBuckets } from './identity-buckets.js';
import { IdentityRateChart } from './identity-rate-chart.js';
import { widgetQueries } from './widget-queries.js';

const PERIODS = [
  ['24', 'Last 24 hours'],
  ['168', 'Last 7 days'],
  ['720', 'Last 30 days'],
] as const;

/** Identity health of a widget: verified rate over time and failure reasons (members too), recent failures with their fix (owners and admins). */
export function IdentityHealthPanel({ widget, canReadLog }: { widget: WidgetView; canReadLog: boolean }) {
  const [period, setPeriod] = useState('168');
  const hours = Number(period);
  const stats = useQuery(widgetQueries.stats(widget.workspaceId, widget.id, hours));
  return (
    <div className="stack">
      <section className="card stack widget-panel">
        <div className="row widget-section-header">
          <h2>Verified rate</h2>
          <SelectField label="Period" options={PERIODS} value={period} onChange={(e) => setPeriod(e.target.value)} />
        </div>
        <QueryState query={stats} loading="Loading identity stats…">
          {(data) => <StatsView stats={data} periodHours={hours} periodLabel={PERIODS.find(([p]) => p === period)![1]} />}
        </QueryState>
      </section>
      {canReadLog && <RecentFailures widget={widget} />}
    </div>
  );
}

function StatsView({ stats, periodHours, periodLabel }: { stats: IdentityStats; periodHours: number; periodLabel: string }) {
  const buckets = toBuckets(stats.hours, periodHours, Date.now());
  const { verified, identified, failed } = stats.total;
  const all = verified + identified + failed;
  const reasons = new Map<string, number>();
  for (const h of stats.hours) for (const [reason, n] of Object.entries(h.reasons)) reasons.set(reason, (reasons.get(reason) ?? 0) + n);
  const step = bucketHours(periodHours);
  const formatStart = (at: number) => formatDateTime(at, step >= 24 ? { dateStyle: 'medium' } : { dateStyle: 'short', timeStyle: 'short' });
  if (all === 0)
    return (
      <p className="muted">
        No identify calls in this period. Once your app calls <code>identify</code> after login, its outcomes show here.
      </p>
    );
  return (
    <>
      <dl className="identity-totals">
        <div>
          <dt>Verified rate</dt>
          <dd>{formatPercent(verified, all)}</dd>
        </div>
        <div>
          <dt>Verified</dt>
          <dd>{formatCount(verified)}</dd>
        </div>
        <div>
          <dt>Unsigned (identified)</dt>
          <dd>{formatCount(identified)}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd>{formatCount(failed)}</dd>
        </div>
      </dl>
      <IdentityRateChart
        buckets={buckets}
        formatStart={formatStart}
        label={`Verified rate, ${periodLabel.toLowerCase()}: ${formatPercent(verified, all)} of ${countOf(all, { one: 'identify', other: 'identifies' })}. The table below lists each ${step === 1 ? 'hour' : step === 6 ? '6 hours' : 'day'}.`}
      />
      <details className="identity-details">
        <summary>Show as a table</summary>
        <DataTable
          rows={buckets.filter((b) => b.verified + b.identified + b.failed > 0)}
          rowKey={(b) => b.start}
          caption={`Identify outcomes per ${step === 1 ? 'hour' : step === 6 ? '6 hours' : 'day'}`}
          columns={[
            { header: 'From', rowHeader: true, cell: (b) => formatStart(b.start) },
            { header: 'Verified rate', cell: (b) => formatPercent(b.verified, b.verified + b.identified + b.failed) },
            { header: 'Verified', cell: (b) => formatCount(b.verified) },
            { header: 'Unsigned', cell: (b) => formatCount(b.identified) },
            { header: 'Failed', cell: (b) => formatCount(b.failed) },
          ]}
        />
      </details>
      {reasons.size > 0 && (
        <>
          <h3>Why identifies failed</h3>
          <DataTable
            rows={[...reasons].sort((a, b) => b[1] - a[1])}
            rowKey={([reason]) => reason}
            columns={[
              {
                header: 'Reason',
                cell: ([reason]) => (
                  <>
                    {failureLabel(reason)} <code className="small">{reason}</code>
                  </>
                ),
              },
              { header: 'Count', cell: ([, n]) => formatCount(n) },
              { header: 'What to fix', cell: ([reason]) => failureHint(reason) },
            ]}
          />
        </>
      )}
    </>
  );
}

function RecentFailures({ widget }: { widget: WidgetView }) {
  const failures = useQuery(widgetQueries.failures(widget.workspaceId, widget.id));
  return (
    <section className="card stack widget-panel">
      <h2>Recent failures</h2>
      <p className="small muted">
        The newest failed identifies with the mistake Lumio recognised, when it did. Lumio never shows the signature or the secret.
      </p>
      <QueryState query={failures} loading="Loading recent failures…">
        {(entries) => (
          <DataTable
            rows={entries}
            rowKey={(e) => e.id}
            caption="Recent failed identifies"
            empty="No failed identifies recorded."
            columns={[
              { header: 'When', cell: (e) => formatTime(e.createdAt) },
              { header: 'User id', cell: (e) => (e.userId === null ? <span className="muted">none</span> : <code>{e.userId}</code>) },
              {
                header: 'Reason',
                cell: (e) => (
                  <>
                    {failureLabel(e.reason)}
                    {e.diagnosis && (
                      <>
                        <br />
                        <span className="badge badge-warn">Diagnosed: {e.diagnosis.replaceAll('_', ' ')}</span>
                      </>
                    )}
                    {e.keyId && (
                      <>
                        <br />
                        <span className="small muted">
                          key <code>{e.keyId}</code>
                        </span>
                      </>
                    )}
                  </>
                ),
              },
              { header: 'What to fix', cell: (e) => failureHint(e.reason, e.hint) },
            ]}
          />
        )}
      </QueryState>
    </section>
  );
}
