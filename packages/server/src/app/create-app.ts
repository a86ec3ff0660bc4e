import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { Redis } from 'ioredis';
import type { DestinationStream, Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { DialectAdapter } from '../db/dialects/dialect-adapter.js';
import { openDatabase } from '../db/open-database.js';
import { migrateToLatest } from '../db/migrate.js';
import { GroupCommit } from '../db/group-commit.js';
import { batchReadsPerTurn } from '../db/batched-query.js';
import { StorageHealth } from '../db/storage-health.js';
import { classifyStorageFault } from '../db/storage-fault.js';
import { resolveMasterKey } from '../crypto/master-key.js';
import { SecretBox } from '../crypto/secret-box.js';
import { newId } from '../crypto/tokens.js';
import { LumioError } from '../errors/lumio-error.js';
import { createMetrics, type Metrics } from '../ops/metrics.js';
import { createLogger } from '../ops/create-logger.js';
import { registerOpsRoutes } from '../ops/ops-routes.js';
import { Readiness } from '../ops/readiness.js';
import { AccountsService } from '../accounts/accounts-service.js';
import { AuthSessions } from '../accounts/auth-sessions.js';
import { SetupService } from '../accounts/setup-service.js';
import { SignInThrottle } from '../accounts/sign-in-throttle.js';
import { registerAccountsRoutes } from '../accounts/accounts-routes.js';
import { ForgotPassword } from '../accounts/forgot-password.js';
import { AuditLog } from '../audit/audit-log.js';
import { registerAuditRoutes } from '../audit/audit-routes.js';
import { WorkspacesService } from '../workspaces/workspaces-service.js';
import { WorkspaceSettings } from '../workspaces/workspace-settings.js';
import { registerWorkspaceSettingsRoutes } from '../workspaces/workspace-settings-routes.js';
import { TeamService } from '../team/team-service.js';
import { registerTeamRoutes } from '../team/team-routes.js';
import { ApiKeysService } from '../api-keys/api-keys-service.js';
import { registerApiKeysRoutes } from '../api-keys/api-keys-routes.js';
import { SigningSecrets } from '../widgets/signing-secrets.js';
import { WidgetsService } from '../widgets/widgets-service.js';
import { WidgetRegistry } from '../widgets/widget-registry.js';
import { registerWidgetsRoutes } from '../widgets/widgets-routes.js';
import { UsersStore } from '../users/users-store.js';
import { registerUsersRoutes } from '../users/users-routes.js';
import { CompaniesService } from '../companies/companies-service.js';
import { registerCompaniesRoutes } from '../companies/companies-routes.js';
import { UserAliases } from '../users/user-aliases.js';
import { registerUserImportRoutes } from '../users/import/import-routes.js';
import { registerUsersDashboardRoutes } from '../users/users-dashboard-routes.js';
import { IdentityLog } from '../identity/identity-log.js';
import { IdentifyService } from '../identity/identify-service.js';
import { SessionTokens } from '../identity/session-tokens.js';
import { registerWidgetApiRoutes } from '../identity/widget-api-routes.js';
import { LocalIdentifyFailureLimit, RedisIdentifyFailureLimit } from '../identity/identify-failure-limit.js';
import { WidgetScript } from '../widget-script/widget-script.js';
import { DashboardApp } from '../dashboard-app/dashboard-app.js';
import { registerDashboardRoutes } from '../dashboard-app/dashboard-routes.js';
import { registerWidgetScriptRoutes } from '../widget-script/widget-script-routes.js';
import { createWidgetApiHooks } from '../identity/widget-api-hooks.js';
import { SegmentsService } from '../segments/segments-service.js';
import { registerSegmentsRoutes } from '../segments/segments-routes.js';
import { AnnouncementsService } from '../announcements/announcements-service.js';
import { AnnouncementStates } from '../announcements/announcement-states.js';
import { AnnouncementDelivery } from '../announcements/announcement-delivery.js';
import { registerAnnouncementsRoutes } from '../announcements/announcements-routes.js';
import { registerAnnouncementsWidgetRoutes } from '../announcements/announcements-widget-routes.js';
import { HelpCenterService } from '../help-center/help-center-service.js';
import { HelpCenterReader } from '../help-center/help-center-reader.js';
import { ArticleTopics } from '../interests/article-topics.js';
import { InterestWriter } from '../interests/interest-writer.js';
import { InterestBuffer } from '../interests/interest-buffer.js';
import { anonymousLeftovers } from '../identity/anonymous-leftovers.js';
import { viewerOf } from '../identity/viewer-key.js';
import { InterestsReader } from '../interests/interests-reader.js';
import { ArticleSearch } from '../help-center/search/article-search.js';
import { registerHelpCenterRoutes } from '../help-center/help-center-routes.js';
import { HelpImportJobs } from '../help-center/help-import-jobs.js';
import { MarkdownRenderer } from '../content/markdown-renderer.js';
import { Mailer } from '../mail/mailer.js';
import { InstanceSettings } from '../instance/instance-settings.js';
import { registerInstanceRoutes } from '../instance/instance-routes.js';
import { IdentityAlerts } from '../identity/identity-alerts.js';
import { registerHelpCenterWidgetRoutes } from '../help-center/help-center-widget-routes.js';
import { HelpRelevance } from '../relevance/help-relevance.js';
import { PeerSignals } from '../relevance/peer-signals.js';
import { RelevanceExplainer } from '../relevance/relevance-explainer.js';
import { registerRelevanceRoutes } from '../relevance/relevance-routes.js';
import { EventStore } from '../analytics/event-store.js';
import { EventSnapshots, type ProfileSnapshot } from '../analytics/event-snapshots.js';
import { EventIngestion } from '../analytics/event-ingestion.js';
import { ServerEventIngestion } from '../analytics/server-event-ingestion.js';
import { registerServerEventsRoutes } from '../analytics/server-events-routes.js';
import { CompaniesStore } from '../companies/companies-store.js';
import { LocalIngestionQuota, RedisIngestionQuota } from '../analytics/ingestion-quota.js';
import { PropertyCatalogue } from '../analytics/property-catalogue.js';
import { EventRetention } from '../analytics/event-retention.js';
import { PostgresEventPartitions } from '../db/dialects/postgres-event-partitions.js';
import { AnalyticsReports } from '../analytics/reports/analytics-reports.js';
import { registerAnalyticsRoutes } from '../analytics/analytics-routes.js';
import { EventSubjects } from '../analytics/event-subjects.js';
import { CompaniesDashboardReader } from '../companies/companies-dashboard-reader.js';
import { registerCompaniesDashboardRoutes } from '../companies/companies-dashboard-routes.js';
import { registerAnalyticsWidgetRoutes } from '../analytics/analytics-widget-routes.js';
import { DemoService } from '../demo/demo-service.js';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.js';
import { registerDemoRoutes } from '../demo/demo-routes.js';
import { WebhookEndpoints } from '../webhooks/webhook-endpoints-service.js';
import { WebhookDeliveries } from '../webhooks/webhook-deliveries-reader.js';
import { registerWebhookEndpointsRoutes } from '../webhooks/webhook-endpoints-routes.js';
import { registerWebhookServerRoutes } from '../webhooks/webhook-server-routes.js';
import type { AppDeps, Clock } from '../http/app-deps.js';
import { answerFrameworkError, installErrorHandler } from '../http/error-handler.js';
import { installUnsafeTextGuard } from '../http/unsafe-text-guard.js';
import { createGuards } from '../http/guards.js';
import { checkOrigin } from '../http/origin-check.js';
import { serverOrigin } from '../http/server-origin.js';
import type { RouteScope } from '../http/guards.js';

/** Options of {@link createApp}; only `config` is required. */
export interface CreateAppOptions {
  config: Readonly<Config>;
  /** An already open database (tests); otherwise opened from the config. */
  adapter?: DialectAdapter;
  clock?: Clock;
  /** A ready logger; by default one is made from the config (see createLogger). */
  logger?: Logger;
  /** Where the default logger writes (tests capture lines here); stdout otherwise. */
  logDestination?: DestinationStream;
  /** Collect Node's default process metrics (off in tests that build many apps). */
  defaultMetrics?: boolean;
  /** Where the dashboard's build is (tests); by default `@lumio/dashboard`'s dist/. */
  dashboard?: DashboardApp;
}

/** A built Lumio server: the Fastify app plus what start-up and shutdown need. */
export interface LumioApp {
  app: FastifyInstance;
  deps: AppDeps;
  services: {
    setup: SetupService;
    accounts: AccountsService;
    workspaces: WorkspacesService;
    workspaceSettings: WorkspaceSettings;
    team: TeamService;
    forgotPassword: ForgotPassword;
    secrets: SigningSecrets;
    widgets: WidgetsService;
    users: UsersStore;
    identityLog: IdentityLog;
    sessionTokens: SessionTokens;
    demo: DemoService;
    segments: SegmentsService;
    announcements: AnnouncementsService;
    delivery: AnnouncementDelivery;
    helpCenter: HelpCenterService;
    helpImports: HelpImportJobs;
    helpReader: HelpCenterReader;
    peerSignals: PeerSignals;
    events: EventStore;
    snapshots: EventSnapshots;
    ingestion: EventIngestion;
    reports: AnalyticsReports;
    catalogue: PropertyCatalogue;
    retention: EventRetention;
    interests: InterestsReader;
    articleTopics: ArticleTopics;
    /** Null when LUMIO_INTEREST_FLUSH_MS is 0 (interests are written with the events). */
    interestBuffer: InterestBuffer | null;
    instance: InstanceSettings;
    identityAlerts: IdentityAlerts;
    /** Sends the webhook outbox (started unless LUMIO_WEBHOOK_DELIVERY=false). */
    webhooks: WebhookDispatcher;
  };
  /** Every route with its scope metadata (used by the tenant-isolation test). */
  routes: Array<{ method: string; url: string; lumio: RouteScope | undefined }>;
  /** Flushes buffers and closes the HTTP server and database. */
  close(): Promise<void>;
}

/**
 * Builds the Lumio server: migrates the database, wires services and routes.
 *
 * @example const { app } = await createApp({ config: loadConfig() }); await app.listen({ port: 8080 });
 */
export async function createApp(options: CreateAppOptions): Promise<LumioApp> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config, options.logDestination);
  const storageHealth = new StorageHealth(logger);
  const adapter =
    options.adapter ??
    openDatabase(config, {
      onIdleError: (error) =>
        storageHealth.recordFault(
          classifyStorageFault(error) ?? { kind: 'unreachable', code: 'idle_client_error', message: error.message },
          {
            idleConnection: true,
          },
        ),
    });
  await migrateToLatest(adapter);
  const masterKey = resolveMasterKey(config);
  const metrics: Metrics = createMetrics({ defaultMetrics: options.defaultMetrics ?? true });
  const deps: AppDeps = {
    config,
    adapter,
    db: adapter.db,
    masterKey,
    secretBox: new SecretBox(masterKey),
    clock: options.clock ?? { now: () => Date.now() },
    logger,
    metrics,
    storageHealth,
    markdown: new MarkdownRenderer(config.markdown),
    mailer: new Mailer(
      config.smtpUrl && config.publicUrl ? { url: config.smtpUrl, from: config.smtpFrom, publicUrl: config.publicUrl } : null,
      logger,
    ),
  };

  const audit = new AuditLog(deps);
  const accounts = new AccountsService(deps);
  const sessions = new AuthSessions(deps);
  const throttle = new SignInThrottle(deps);
  const workspaces = new WorkspacesService(deps, audit);
  const workspaceSettings = new WorkspaceSettings(deps, audit);
  const setup = new SetupService(deps, accounts, workspaces);
  const team = new TeamService(deps, audit, sessions, accounts);
  const forgotPassword = new ForgotPassword(deps, accounts);
  const apiKeys = new ApiKeysService(deps, audit);
  // Without LUMIO_SMTP_URL, the email settings the instance owner saved in the dashboard (if any).
  const instance = new InstanceSettings(deps, audit);
  await instance.start();
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { connectTimeout: 2000, maxRetriesPerRequest: 1, enableOfflineQueue: false })
    : undefined;
  const registry = new WidgetRegistry(deps);
  await registry.start();
  const invalidate = (widgetId: string) => registry.invalidate(widgetId);
  const secrets = new SigningSecrets(deps, audit, invalidate);
  const widgets = new WidgetsService(deps, audit, secrets, invalidate);
  const users = new UsersStore(deps);
  await users.listen();
  const aliases = new UserAliases(deps);
  await aliases.start();
  const identityLog = new IdentityLog(deps);
  const sessionTokens = new SessionTokens(masterKey);
  // SQLite has one connection. On PostgreSQL (a pool of 10) identifies and the API's user upserts share one
  // lane, side by side with shared statements (db/batched-query.ts); the other writers spread over three
  // more, and reads keep the rest of the pool. Its batched reads outside transactions share each turn.
  const writes = new GroupCommit(deps.db, {
    lanes: adapter.name === 'postgres' ? 4 : 1,
    concurrent: adapter.name === 'postgres',
    gate: adapter.writeGate,
    onCommit: () => deps.storageHealth.recordSuccess(),
  });
  users.gatherInvalidations(writes);
  if (adapter.name === 'postgres') batchReadsPerTurn(deps.db);
  const announcementStates = new AnnouncementStates(deps);
  const interestsReader = new InterestsReader(deps.db);
  const interestWriter = new InterestWriter(deps, interestsReader);
  const articleTopics = new ArticleTopics(deps);
  await articleTopics.start();
  const interestBuffer =
    config.interestFlushMs > 0
      ? new InterestBuffer(interestWriter, writes, { flushMs: config.interestFlushMs, logger: deps.logger })
      : null;
  const eventStore = new EventStore(deps);
  const snapshots = new EventSnapshots(deps);
  await snapshots.start();
  // What a browser did while anonymous becomes the user's when it proves who it is (DESIGN.md).
  const identify = new IdentifyService(
    deps,
    users,
    secrets,
    identityLog,
    sessionTokens,
    writes,
    async (db, { workspaceId, anonymousId, userId, state, previousUserId }) => {
      // One read says what the browser left; only those kinds are handed over.
      const left = await anonymousLeftovers.run(db, { workspaceId, anonymousId });
      // Its events on any identify; its private data only when verified.
      if (left.events) await eventStore.attribute(db, workspaceId, anonymousId, userId);
      if (state !== 'verified') return;
      if (previousUserId) await eventStore.reattribute(db, workspaceId, anonymousId, previousUserId, userId);
      if (left.announcementStates) await announcementStates.mergeAnonymous(db, workspaceId, anonymousId, userId);
      if (left.articleSaves) await helpReader.mergeAnonymous(db, workspaceId, anonymousId, userId);
      // Its activity still queued goes with it (a flush from here would wait on this very transaction).
      const queued = interestBuffer?.take(workspaceId, viewerOf({ state: 'anonymous', anonymousId })) ?? [];
      if (left.interestScores || queued.length > 0)
        await interestWriter.mergeAnonymous(db, workspaceId, anonymousId, userId, deps.clock.now(), queued);
    },
    aliases,
  );
  // Segments and announcements share one change signal per workspace: a segment edit changes who sees what.
  const targetingChanged = (workspaceId: string): Promise<void> => {
    helpReader.invalidate(workspaceId);
    articleTopics.invalidate(workspaceId);
    return delivery.invalidate(workspaceId);
  };
  const segments = new SegmentsService(deps, audit, targetingChanged);
  const announcements = new AnnouncementsService(deps, audit, segments, targetingChanged);
  const delivery = new AnnouncementDelivery(deps, users, segments, announcementStates);
  await delivery.start();
  const articleSearch = new ArticleSearch(deps);
  const helpCenter = new HelpCenterService(deps, audit, segments, targetingChanged, articleSearch);
  const helpImports = new HelpImportJobs(deps.clock, logger);
  const peerSignals = new PeerSignals(deps);
  peerSignals.start();
  const helpRelevance = new HelpRelevance(deps, interestsReader, peerSignals);
  const helpReader = new HelpCenterReader(deps, users, segments, articleSearch, helpRelevance);
  const relevanceExplainer = new RelevanceExplainer(deps, users, helpReader, articleSearch, helpRelevance);
  await helpReader.start();
  const catalogue = new PropertyCatalogue(deps);
  // One budget per workspace for the widget's events and the server API's together.
  const ingestionQuota = redis
    ? new RedisIngestionQuota(redis, config.rateLimits.eventsPerWorkspacePerMinute, logger)
    : new LocalIngestionQuota(config.rateLimits.eventsPerWorkspacePerMinute);
  const observeSnapshot = (workspaceId: string, snapshot: ProfileSnapshot, at: number) => catalogue.observe(workspaceId, snapshot, at);
  const ingestion = new EventIngestion(deps, users, snapshots, eventStore, writes, ingestionQuota, observeSnapshot, {
    topics: articleTopics,
    writer: interestWriter,
    buffer: interestBuffer,
  });
  const serverEvents = new ServerEventIngestion(
    deps,
    users,
    new CompaniesStore(deps),
    snapshots,
    eventStore,
    writes,
    ingestionQuota,
    observeSnapshot,
  );
  // Reports read through the adapter's report connection (SQLite: its own, with a memory map).
  const reports = new AnalyticsReports({ ...deps, db: adapter.reportDb }, segments, identityLog);
  // PostgreSQL partitions events by month (migration 0027): this month's and the next ones' partitions
  // exist before the first event arrives. Not fatal: a month without one goes to the default partition,
  // and retention's hourly run keeps the partitions too.
  const eventPartitions = adapter.name === 'postgres' ? new PostgresEventPartitions(adapter.db) : null;
  await eventPartitions
    ?.maintain(deps.clock.now())
    .catch((error: unknown) => logger.warn({ err: error }, 'event partitions not created at start-up'));
  const retention = new EventRetention(deps, audit, eventPartitions);
  retention.start();
  const demo = new DemoService(deps, workspaces, widgets, secrets, announcements);
  const identityAlerts = new IdentityAlerts(deps, audit, identityLog);
  const webhookEndpoints = new WebhookEndpoints(deps, audit);
  const webhookDeliveries = new WebhookDeliveries(deps, audit);
  identityAlerts.start();
  const webhooks = new WebhookDispatcher(deps);
  if (config.webhookDelivery) webhooks.start();

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimitBytes,
    // Never `true`: config refuses it, so X-Forwarded-For and -Proto count only from the proxies named.
    trustProxy: typeof config.trustProxy === 'number' ? hopCount(config.trustProxy) : config.trustProxy,
    genReqId: requestIds(),
    requestIdHeader: false,
    return503OnClosing: true,
    // A userId in a path is up to 255 code points, up to 12 characters each
    // percent-encoded; past this the router answers invalid_request, not a 404.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: answerFrameworkError,
  });
  const routes: LumioApp['routes'] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods)
      routes.push({ method, url: route.url, lumio: (route.config as { lumio?: RouteScope } | undefined)?.lumio });
  });
  app.decorateRequest('account', null);
  app.decorateRequest('workspace', null);
  app.decorateRequest('apiKey', null);
  installErrorHandler(app, deps.storageHealth);
  // JSON only: a text/plain body is refused with 415 like any other type.
  app.removeContentTypeParser('text/plain');

  await app.register(helmet, { global: true, contentSecurityPolicy: false, crossOriginResourcePolicy: { policy: 'cross-origin' } });
  await app.register(rateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: 'lumio-rl:' } : {}),
    // Refuse rather than wave through when Redis is briefly unreachable? No: a
    // limiter outage must not take sign-in down; it fails open and is logged.
    skipOnError: true,
    errorResponseBuilder: (request, context) => {
      metrics.rateLimited.inc({ route: request.routeOptions.url ?? 'unknown' });
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new LumioError(
        'rate_limited',
        `Too many requests; try again in ${seconds} s.`,
        { retryAfterSeconds: seconds },
        { 'retry-after': String(seconds) },
      );
    },
  });

  // Global hooks run on every request, the widget API's included: one
  // callback-style hook per phase, no promise per hook.
  const originOf = serverOrigin(config);
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    // Decided from the matched route's scope, not from the URL (see origin-check.ts).
    try {
      checkOrigin(request, originOf);
    } catch (error) {
      done(error as Error);
      return;
    }
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });

  installUnsafeTextGuard(app);

  const guards = createGuards({ sessions, workspaces, apiKeys });
  const widgetScript = new WidgetScript();
  registerOpsRoutes(app, deps, new Readiness(adapter, deps.storageHealth));
  await registerDashboardRoutes(app, options.dashboard ?? new DashboardApp());
  // The dashboard API is the only cookie user: cookies are parsed and set in
  // its scope alone, so the widget API (every page load) skips those hooks.
  await app.register(async (dashboard) => {
    await dashboard.register(cookie);
    registerAccountsRoutes(dashboard, deps, { accounts, sessions, setup, workspaces, audit, throttle, forgotPassword }, guards);
    registerTeamRoutes(dashboard, deps, { team, workspaces, sessions }, guards);
    registerApiKeysRoutes(dashboard, apiKeys, guards);
    registerAuditRoutes(dashboard, audit, guards);
    registerWorkspaceSettingsRoutes(dashboard, workspaceSettings, guards);
    registerInstanceRoutes(dashboard, instance, guards);
    registerWidgetsRoutes(dashboard, deps, { widgets, secrets, identityLog, accounts, sessions, throttle, script: widgetScript }, guards);
    registerSegmentsRoutes(dashboard, segments, guards);
    registerAnnouncementsRoutes(dashboard, announcements, guards);
    registerHelpCenterRoutes(dashboard, helpCenter, helpImports, guards);
    registerRelevanceRoutes(dashboard, relevanceExplainer, guards);
    const subjects = new EventSubjects(deps);
    registerAnalyticsRoutes(dashboard, { reports, catalogue, retention, events: eventStore, workspaces, subjects }, guards);
    registerCompaniesDashboardRoutes(dashboard, new CompaniesDashboardReader(deps, { events: eventStore, subjects }), guards);
    registerUsersDashboardRoutes(
      dashboard,
      deps,
      { users, audit, identityLog, events: eventStore, snapshots, interestBuffer, segments, interests: interestsReader },
      guards,
    );
    registerWebhookEndpointsRoutes(dashboard, { endpoints: webhookEndpoints, deliveries: webhookDeliveries }, guards);
  });
  const widgetHooks = createWidgetApiHooks(app, deps, { registry, sessionTokens });
  const identifyFailures = redis
    ? new RedisIdentifyFailureLimit(redis, config.rateLimits.identifyFailuresPerSourcePerMinute, logger)
    : new LocalIdentifyFailureLimit(config.rateLimits.identifyFailuresPerSourcePerMinute);
  registerWidgetApiRoutes(app, deps, { registry, identify, sessionTokens, users, identifyFailures, workspaceSettings }, widgetHooks);
  registerAnnouncementsWidgetRoutes(app, delivery, widgetHooks);
  registerHelpCenterWidgetRoutes(app, helpReader, widgetHooks);
  registerAnalyticsWidgetRoutes(app, deps, ingestion, widgetHooks);
  registerWidgetScriptRoutes(app, deps, widgetScript);
  if (config.demo) registerDemoRoutes(app, deps, demo, widgetScript);
  registerUsersRoutes(
    app,
    deps,
    {
      users,
      audit,
      writes,
      identityLog,
      events: eventStore,
      snapshots,
      interestBuffer,
      interests: interestsReader,
      interestWriter,
      aliases,
    },
    guards,
  );
  registerCompaniesRoutes(app, new CompaniesService(deps, audit, writes), guards);
  registerWebhookServerRoutes(app, webhookEndpoints, guards);
  registerServerEventsRoutes(app, serverEvents, guards);
  registerUserImportRoutes(app, deps, { users, audit, writes }, guards);

  const purge = setInterval(
    () => void secrets.purgeExpired().catch((error: unknown) => logger.warn({ err: error }, 'secret purge failed')),
    3600_000,
  );
  purge.unref();

  let closed = false;
  return {
    app,
    deps,
    services: {
      setup,
      accounts,
      workspaces,
      workspaceSettings,
      team,
      forgotPassword,
      secrets,
      widgets,
      users,
      identityLog,
      sessionTokens,
      demo,
      segments,
      announcements,
      delivery,
      helpCenter,
      helpImports,
      helpReader,
      peerSignals,
      events: eventStore,
      snapshots,
      ingestion,
      reports,
      catalogue,
      retention,
      interests: interestsReader,
      articleTopics,
      interestBuffer,
      instance,
      identityAlerts,
      webhooks,
    },
    routes,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(purge);
      retention.stop();
      peerSignals.stop();
      instance.stop();
      identityAlerts.stop();
      const step = (name: string) => logger.debug({ step: name }, 'shutdown step done');
      // Keep-alive sockets whose request was in flight when closing began become
      // idle only afterwards: sweep them, or close() waits for the client to hang up.
      const sweep = setInterval(() => app.server.closeIdleConnections?.(), 50);
      try {
        await app.close();
      } finally {
        clearInterval(sweep);
      }
      step('http closed');
      // Sends in flight get a moment, then their leases go back for another process or the next start.
      await webhooks.stop();
      step('webhook dispatcher stopped');
      // Stopping the workers refuses the renders an import waits for; an import already writing finishes first.
      await deps.markdown.close();
      await helpImports.settled();
      step('markdown workers stopped');
      await forgotPassword.settled();
      deps.mailer.close();
      await identityLog.flush();
      step('identity log flushed');
      await interestBuffer?.close();
      step('interest buffer flushed');
      await catalogue.flush();
      step('property catalogue flushed');
      redis?.disconnect();
      if (!options.adapter) await adapter.destroy();
      step('database closed');
    },
  };
}

const MAX_PARAM_LENGTH = 255 * 12;

// Request ids: a random per-process prefix and a counter, unique without
// drawing random bytes on every request.
function requestIds(): () => string {
  const prefix = newId('req', 6);
  let counter = 0;
  return () => `${prefix}${(counter++).toString(36)}`;
}

// Fastify trusts "the n nearest proxies" through a function over the hop index.
function hopCount(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}
