import type { ArticlesReport, DemographicsReport, FunnelReport, IdentityHealthReport, SeriesReport } from '@lumio/protocol';
import * as Tabs from '@radix-ui/react-tabs';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { formatDay } from '../ui/format.js';
import { PageHeader } from '../ui/page-header.js';
import { useWorkspace } from '../workspaces/use-workspace.js';
import { AnalyticsFilterBar } from './analytics-filter-bar.js';
import { filterBody, rangeOf, readFilters, writeFilters, type AnalyticsFilters, type Measure } from './analytics-filters.js';
import { ArticlesReportView } from './articles-report-view.js';
import { CsvDownloadButton } from './csv-download-button.js';
import { DemographicsReportView } from './demographics-report-view.js';
import { FunnelReportView } from './funnel-report-view.js';
import { IdentityHealthReportView } from './identity-health-report-view.js';
import { intervalOf, REPORT_FIELDS, REPORTS, type ReportName } from './report-fields.js';
import { SeriesReportView } from './series-report-view.js';
import { useReport } from './use-report.js';
import './analytics.css';

/** The analytics reports with their shared filter bar; the whole view lives in the URL so it can be shared. */
export function AnalyticsPage() {
  const workspace = useWorkspace();
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params);
  const report: ReportName = REPORTS.some(([name]) => name === filters.report) ? (filters.report as ReportName) : 'events';
  const change = (changes: Partial<AnalyticsFilters>) => setParams((current) => writeFilters(current, changes), { replace: true });
  const fields = REPORT_FIELDS[report];
  const interval = intervalOf(fields, filters.interval);
  const range = rangeOf({ ...filters, interval });
  const { condition, segmentId, on, verifiedOnly } = filters;
  // One body object per distinct filter, so the query keys and the CSV body stay stable between renders.
  const base = useMemo(
    () => filterBody({ ...filters, condition, segmentId, on, verifiedOnly }, { from: range.from, to: range.to }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- filters is read anew each render; its fields are the dependencies
    [condition, segmentId, on, verifiedOnly, range.from, range.to],
  );

  const seriesBody = useMemo(
    () => ({
      ...base,
      event: filters.event,
      interval,
      ...(filters.breakdown ? { breakdown: filters.breakdown } : {}),
      ...(filters.measure === 'companies' ? { count: 'companies' as const } : {}),
    }),
    [base, filters.event, interval, filters.breakdown, filters.measure],
  );
  const demographicsBody = useMemo(() => ({ ...base, attributes: [filters.breakdown || 'plan'] }), [base, filters.breakdown]);
  const identityBody = useMemo(
    () => ({ from: range.from, to: range.to, interval: interval === 'hour' ? ('hour' as const) : ('day' as const) }),
    [range.from, range.to, interval],
  );

  const series = useReport<SeriesReport>(workspace.id, 'series', seriesBody, report === 'events');
  const funnel = useReport<FunnelReport>(workspace.id, 'funnel', base, report === 'announcements');
  const articles = useReport<ArticlesReport>(workspace.id, 'articles', base, report === 'help');
  const demographics = useReport<DemographicsReport>(workspace.id, 'demographics', demographicsBody, report === 'audience');
  const identity = useReport<IdentityHealthReport>(workspace.id, 'identity-health', identityBody, report === 'identity');

  const csv: Record<ReportName, [string, object]> = {
    events: ['series', seriesBody],
    announcements: ['funnel', base],
    help: ['articles', base],
    audience: ['demographics', demographicsBody],
    identity: ['identity-health', identityBody],
  };
  const [csvReport, csvBody] = csv[report];

  return (
    <>
      <PageHeader
        title="Analytics"
        description={`${formatDay(range.from)} – ${formatDay(range.to - 1)} (UTC)`}
        actions={<CsvDownloadButton workspaceId={workspace.id} report={csvReport} body={csvBody} label="Download CSV" />}
      />
      <Tabs.Root value={report} onValueChange={(value) => change({ report: value === 'events' ? '' : value })} activationMode="manual">
        <Tabs.List className="tabs-list" aria-label="Reports">
          {REPORTS.map(([name, label]) => (
            <Tabs.Trigger key={name} value={name} className="tabs-trigger">
              {label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        <AnalyticsFilterBar workspaceId={workspace.id} filters={filters} fields={fields} onChange={change} />
        <Tabs.Content value="events" className="analytics-report">
          <div className="row analytics-report-tools">
            <label className="analytics-inline-field">
              Measure{' '}
              <select value={filters.measure} onChange={(e) => change({ measure: e.target.value as Measure })}>
                <option value="count">Events</option>
                <option value="uniques">People (distinct)</option>
                <option value="companies">Companies (distinct)</option>
              </select>
            </label>
          </div>
          <SeriesReportView query={series} event={filters.event} breakdown={filters.breakdown} measure={filters.measure} />
        </Tabs.Content>
        <Tabs.Content value="announcements" className="analytics-report">
          <FunnelReportView query={funnel} />
        </Tabs.Content>
        <Tabs.Content value="help" className="analytics-report">
          <ArticlesReportView query={articles} />
        </Tabs.Content>
        <Tabs.Content value="audience" className="analytics-report">
          <DemographicsReportView query={demographics} />
        </Tabs.Content>
        <Tabs.Content value="identity" className="analytics-report">
          <p className="muted small">Identify calls have no profile to filter on: this report reads the date range and interval only.</p>
          <IdentityHealthReportView query={identity} />
        </Tabs.Content>
      </Tabs.Root>
    </>
  );
}
