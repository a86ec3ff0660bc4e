import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { normalizeUserId, type EventNamesAnswer, type PropertyCatalogueAnswer, type UserEventsAnswer } from '@lumio/protocol';
import type { Guards } from '../http/guards.js';
import { parseWith } from '../http/parse-body.js';
import { actorOf } from '../audit/actor-of.js';
import { workspaceOf } from '../http/request-context.js';
import { LumioError } from '../errors/lumio-error.js';
import type { WorkspacesService } from '../workspaces/workspaces-service.js';
import { personOf, type EventStore } from './event-store.js';
import type { EventSubjects } from './event-subjects.js';
import type { PropertyCatalogue } from './property-catalogue.js';
import { RETENTION_DAYS, type EventRetention } from './event-retention.js';
import type { AnalyticsReports } from './reports/analytics-reports.js';
import { reportFilterFields } from './reports/report-filter.js';
import { MAX_BREAKDOWN_LIMIT } from './reports/series-report.js';
import { MAX_ARTICLES_LIMIT } from './reports/articles-report.js';
import { MAX_DEMOGRAPHIC_ATTRIBUTES } from './reports/demographics-report.js';
import { articlesCsv, csvFileName, demographicsCsv, funnelCsv, identityHealthCsv, seriesCsv } from './reports/report-csv.js';

/** How many event names the event-names route lists at most (a picker, not an export). */
export const MAX_EVENT_NAMES = 500;

/** How many of a user's events one page of their activity holds by default, and at most. */
export const USER_EVENTS_PAGE = { default: 50, max: 200 } as const;

// Schemas are built once: zod compiles each on first use.
const id = z.string().min(1).max(64);
const formatQuery = z.object({ format: z.enum(['json', 'csv']).default('json') });
const seriesBody = z.strictObject({
  ...reportFilterFields,
  event: z.string().min(1).max(100),
  interval: z.enum(['hour', 'day', 'week']),
  breakdown: z.string().min(1).max(64).optional(),
  limit: z.number().int().min(1).max(MAX_BREAKDOWN_LIMIT).optional(),
  count: z.enum(['people', 'companies']).optional(),
});
const funnelBody = z.strictObject({ ...reportFilterFields, announcementId: id.optional() });
const articlesBody = z.strictObject({ ...reportFilterFields, limit: z.number().int().min(1).max(MAX_ARTICLES_LIMIT).optional() });
const demographicsBody = z.strictObject({
  ...reportFilterFields,
  attributes: z.array(z.string().min(1).max(64)).max(MAX_DEMOGRAPHIC_ATTRIBUTES).optional(),
});
// Identify outcomes have no profile to filter on: a range, an interval and optionally a widget.
const identityHealthBody = z.strictObject({
  from: reportFilterFields.from,
  to: reportFilterFields.to,
  interval: z.enum(['hour', 'day']),
  widgetId: reportFilterFields.widgetId,
});
const settingsBody = z.strictObject({ retentionDays: z.number().int().min(RETENTION_DAYS.min).max(RETENTION_DAYS.max) });
const userEventsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(USER_EVENTS_PAGE.max).default(USER_EVENTS_PAGE.default),
  before: z.coerce.number().int().min(0).optional(),
});

/**
 * The dashboard's analytics: reports (members and above; JSON, or CSV with
 * `?format=csv`), the property catalogue, the retention setting (admins and
 * owners change it) and a user's recent activity.
 */
export function registerAnalyticsRoutes(
  app: FastifyInstance,
  services: {
    reports: AnalyticsReports;
    catalogue: PropertyCatalogue;
    retention: EventRetention;
    events: EventStore;
    workspaces: WorkspacesService;
    subjects: EventSubjects;
  },
  guards: Guards,
): void {
  const { reports, catalogue, retention, events } = services;
  const member = guards.workspaceRoute('member');
  const admin = guards.workspaceRoute('admin');
  const base = '/api/v1/workspaces/:workspaceId';

  /** A report route: the body checked by `schema`, the answer as JSON or CSV. */
  const report = <S extends z.ZodType<{ from: number; to: number }>, R>(
    name: string,
    schema: S,
    run: (workspaceId: string, body: z.infer<S>) => Promise<R>,
    csv: (answer: R, body: z.infer<S>) => string,
  ) =>
    app.post(`${base}/analytics/reports/${name}`, member, async (request: FastifyRequest, reply: FastifyReply) => {
      const { format } = parseWith(formatQuery, request.query);
      const body = parseWith(schema, request.body);
      const answer = await run(workspaceOf(request).id, body);
      if (format === 'json') return answer;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${csvFileName(name, body.from, body.to)}"`)
        .send(csv(answer, body));
    });

  report(
    'series',
    seriesBody,
    (ws, body) => reports.series(ws, body),
    (answer, body) => seriesCsv(answer, body.breakdown),
  );
  report('funnel', funnelBody, (ws, body) => reports.funnel(ws, body), funnelCsv);
  report('articles', articlesBody, (ws, body) => reports.articles(ws, body), articlesCsv);
  report('demographics', demographicsBody, (ws, body) => reports.demographics(ws, body), demographicsCsv);
  report('identity-health', identityHealthBody, (ws, body) => reports.identityHealth(ws, body), identityHealthCsv);

  app.get(`${base}/analytics/properties`, member, async (request): Promise<PropertyCatalogueAnswer> => ({
    properties: await catalogue.list(workspaceOf(request).id),
  }));

  // The names for the dashboard's event picker; `truncated` says a workspace has more than the list holds.
  app.get(`${base}/analytics/event-names`, member, async (request): Promise<EventNamesAnswer> => {
    const names = await events.names(workspaceOf(request).id, MAX_EVENT_NAMES + 1);
    return { eventNames: names.slice(0, MAX_EVENT_NAMES), truncated: names.length > MAX_EVENT_NAMES };
  });

  app.get(`${base}/analytics/settings`, member, async (request) => retention.settings(workspaceOf(request).id));
  app.put(`${base}/analytics/settings`, admin, async (request) =>
    retention.update(workspaceOf(request).id, parseWith(settingsBody, request.body), actorOf(request)),
  );

  // A user's recent activity, newest first, with the titles of the announcements and articles it is about; page on with `before` = the last event's `at`.
  app.get(`${base}/users/:userId/events`, member, async (request): Promise<UserEventsAnswer> => {
    const userId = normalizeUserId((request.params as { userId: string }).userId);
    if (!userId.ok) throw LumioError.fromIssue(userId.issue);
    const { limit, before } = parseWith(userEventsQuery, request.query);
    const workspaceId = workspaceOf(request).id;
    const page = await events.recent(workspaceId, personOf(userId.value, ''), limit, before);
    return { events: await services.subjects.name(workspaceId, page), nextBefore: page.length === limit ? page.at(-1)!.at : null };
  });
}
