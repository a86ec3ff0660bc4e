import type {
  ArticlesReport,
  ArticlesRequest,
  DemographicsReport,
  DemographicsRequest,
  FunnelReport,
  FunnelRequest,
  IdentityHealthReport,
  IdentityHealthRequest,
  ReportFilter,
  SeriesReport,
  SeriesRequest,
} from '@lumio/protocol';
import type { AppDeps } from '../../http/app-deps.js';
import type { SegmentsService } from '../../segments/segments-service.js';
import type { IdentityLog } from '../../identity/identity-log.js';
import { compileFilter, type CompiledFilter } from './report-filter.js';
import { readForReport } from './read-for-report.js';
import { seriesReport } from './series-report.js';
import { funnelReport } from './funnel-report.js';
import { articlesReport } from './articles-report.js';
import { demographicsReport } from './demographics-report.js';
import { identityHealthReport } from './identity-health-report.js';

/**
 * The dashboard's analytics reports of one workspace. Each checks and
 * compiles its filter once (range, condition, segment, trust) and reads the
 * events in one or two queries over the `events_report` index.
 *
 * @example
 * const { series } = await reports.series(workspaceId, { event: '$widget_opened', interval: 'day', from, to, breakdown: 'plan' });
 */
export class AnalyticsReports {
  constructor(
    private readonly deps: AppDeps,
    private readonly segments: SegmentsService,
    private readonly identityLog: IdentityLog,
  ) {}

  /** One event over time: events and distinct persons per hour, day or week, optionally per value of an attribute. */
  async series(workspaceId: string, request: SeriesRequest): Promise<SeriesReport> {
    return this.run(workspaceId, request, seriesReport);
  }

  /** Announcements shown, clicked and dismissed, with click and dismiss rates. */
  async funnel(workspaceId: string, request: FunnelRequest): Promise<FunnelReport> {
    return this.run(workspaceId, request, funnelReport);
  }

  /** The most read articles and the most frequent searches, and the searches that found nothing. */
  async articles(workspaceId: string, request: ArticlesRequest): Promise<ArticlesReport> {
    return this.run(workspaceId, request, articlesReport);
  }

  /** Who the active persons were: their profiles' traits and properties. */
  async demographics(workspaceId: string, request: DemographicsRequest): Promise<DemographicsReport> {
    return this.run(workspaceId, request, demographicsReport);
  }

  /** How identify calls went: verified, identified and failed, and why. */
  async identityHealth(workspaceId: string, request: IdentityHealthRequest): Promise<IdentityHealthReport> {
    return identityHealthReport(this.deps, this.identityLog, workspaceId, request);
  }

  /** Compiles a report's filter, then runs the report's queries through {@link readForReport}. */
  private async run<Q extends ReportFilter, T>(
    workspaceId: string,
    request: Q,
    report: (deps: AppDeps, workspaceId: string, request: Q, filter: CompiledFilter) => Promise<T>,
  ): Promise<T> {
    const filter = await compileFilter(this.deps, this.segments, workspaceId, request);
    return readForReport(this.deps, (deps) => report(deps, workspaceId, request, filter));
  }
}
