import type {
  ArticlesReport,
  ArticlesRequest,
  DemographicsReport,
  DemographicsRequest,
  FunnelReport,
  FunnelRequest,
  IdentityHealthReport,
  IdentityHealthRequest,
  SeriesReport,
  SeriesRequest,
} from '@lumio/protocol';
import type { AppDeps } from '../../http/app-deps.js';
import type { SegmentsService } from '../../segments/segments-service.js';
import type { IdentityLog } from '../../identity/identity-log.js';
import { compileFilter } from './report-filter.js';
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
    const filter = await this.filter(workspaceId, request);
    return readForReport(this.deps, (deps) => seriesReport(deps, workspaceId, request, filter));
  }

  /** Announcements shown, clicked and dismissed, with click and dismiss rates. */
  async funnel(workspaceId: string, request: FunnelRequest): Promise<FunnelReport> {
    const filter = await this.filter(workspaceId, request);
    return readForReport(this.deps, (deps) => funnelReport(deps, workspaceId, request, filter));
  }

  /** The most read articles and the most frequent searches, and the searches that found nothing. */
  async articles(workspaceId: string, request: ArticlesRequest): Promise<ArticlesReport> {
    const filter = await this.filter(workspaceId, request);
    return readForReport(this.deps, (deps) => articlesReport(deps, workspaceId, request, filter));
  }

  /** Who the active persons were: their profiles' traits and properties. */
  async demographics(workspaceId: string, request: DemographicsRequest): Promise<DemographicsReport> {
    const filter = await this.filter(workspaceId, request);
    return readForReport(this.deps, (deps) => demographicsReport(deps, workspaceId, request, filter));
  }

  /** How identify calls went: verified, identified and failed, and why. */
  async identityHealth(workspaceId: string, request: IdentityHealthRequest): Promise<IdentityHealthReport> {
    return identityHealthReport(this.deps, this.identityLog, workspaceId, request);
  }

  private filter(workspaceId: string, request: Parameters<typeof compileFilter>[3]) {
    return compileFilter(this.deps, this.segments, workspaceId, request);
  }
}
