import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ANONYMOUS_ID_PATTERN, parseIdentifyPayload } from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import { parseWith } from '../http/parse-body.js';
import { extraRateLimit } from '../http/extra-rate-limit.js';
import { LumioError } from '../errors/lumio-error.js';
import type { UsersStore } from '../users/users-store.js';
import { profileOf } from '../users/users-store.js';
import { profileForBrowser } from '../users/profile-merge.js';
import type { WorkspaceSettings } from '../workspaces/workspace-settings.js';
import { verifyingSecrets, type WidgetRegistry } from '../widgets/widget-registry.js';
import type { IdentifyService } from './identify-service.js';
import type { IdentifyFailureLimit } from './identify-failure-limit.js';
import type { WidgetApiHooks } from './widget-api-hooks.js';
import type { SessionClaims, SessionTokens } from './session-tokens.js';

// Schemas are built once: zod compiles each on first use.
const sessionBody = z.object({ anonymousId: z.string().regex(ANONYMOUS_ID_PATTERN, 'must be 8–64 letters, digits, "_" or "-"') });

/**
 * The public widget API called by browsers: start or renew a session, identify,
 * and read what this session may see of its user. CORS follows the widget's
 * allowed origins.
 */
export function registerWidgetApiRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'config' | 'clock' | 'metrics'>,
  services: {
    registry: WidgetRegistry;
    identify: IdentifyService;
    sessionTokens: SessionTokens;
    users: UsersStore;
    identifyFailures: IdentifyFailureLimit;
    workspaceSettings: Pick<WorkspaceSettings, 'browserVisibleKeys'>;
  },
  hooks: WidgetApiHooks,
): void {
  const { registry, identify, sessionTokens, users, identifyFailures, workspaceSettings } = services;
  const { widgetRoute, echoOrigin, loadWidget, sessionOf } = hooks;
  // JSON for scripts on other origins: the browser-page headers of helmet
  // (frame, HSTS, CSP…) do nothing here but cost bytes on every call.

  // The preflight of a known widget succeeds for any origin: the request that
  // follows is refused with widget_origin_not_allowed, an answer the page can
  // read and the SDK can explain, where a failed preflight is an opaque network error.
  app.options('/widget/v1/:widgetId/*', { config: widgetRoute, helmet: false }, async (request, reply) => {
    echoOrigin(request, reply);
    if (!(await registry.get((request.params as { widgetId: string }).widgetId))) throw new LumioError('widget_not_found');
    return reply
      .header('access-control-allow-methods', 'GET, POST')
      .header('access-control-allow-headers', 'content-type, authorization')
      .header('access-control-max-age', '600')
      .status(204)
      .send();
  });

  app.post(
    '/widget/v1/:widgetId/session',
    {
      config: {
        ...widgetRoute,
        // One session per page load: the identify limit per IP fits sessions too.
        rateLimit: {
          max: deps.config.rateLimits.identifyPerIpPerMinute,
          timeWindow: 60_000,
          keyGenerator: (r: FastifyRequest) => `session-ip:${r.ip}`,
        },
      },
      preHandler: loadWidget,
      helmet: false,
    },
    async (request) => {
      const widget = request.widget!;
      const body = parseWith(sessionBody, request.body);
      const now = deps.clock.now();
      let claims: SessionClaims = {
        widgetId: widget.id,
        workspaceId: widget.workspaceId,
        anonymousId: body.anonymousId,
        state: 'anonymous',
        issuedAt: now,
        expiresAt: 0,
      };
      // Renewal keeps the identity only while the key that verified it still verifies,
      // so a revoked secret ends verified sessions within one token lifetime.
      const header = request.headers.authorization;
      const previous = header?.startsWith('Bearer ') ? sessionTokens.verify(header.slice(7).trim(), now) : null;
      if (previous && previous.widgetId === widget.id && previous.anonymousId === body.anonymousId && previous.userId) {
        const keyStillValid = previous.state !== 'verified' || verifyingSecrets(widget, now).some((s) => s.keyId === previous.keyId);
        const allowed = previous.state !== 'identified' || widget.verificationMode === 'optional';
        if (keyStillValid && allowed) claims = { ...previous, issuedAt: now };
      }
      claims.expiresAt = now + deps.config.widgetSessionSeconds * 1000;
      return {
        token: sessionTokens.sign(claims),
        state: claims.state,
        anonymousId: claims.anonymousId,
        userId: claims.userId ?? null,
        expiresAt: claims.expiresAt,
        verificationMode: widget.verificationMode,
      };
    },
  );

  // Three limits guard identify (docs/identify.md): per IP on every call (the
  // route's), failures per source and widget (a forger spends only its own
  // budget), and the widget-wide budget, charged only once a call has verified
  // (or is an allowed unsigned identify), so failures never exhaust it for everyone.
  const widgetBudget = extraRateLimit(app, deps.metrics, {
    max: deps.config.rateLimits.identifyPerWidgetPerMinute,
    timeWindow: 60_000,
    keyGenerator: (r: FastifyRequest) => `identify-widget:${(r.params as { widgetId: string }).widgetId}`,
  });
  app.post(
    '/widget/v1/:widgetId/identify',
    {
      config: {
        ...widgetRoute,
        rateLimit: {
          max: deps.config.rateLimits.identifyPerIpPerMinute,
          timeWindow: 60_000,
          keyGenerator: (r: FastifyRequest) => `identify-ip:${r.ip}`,
        },
      },
      preHandler: loadWidget,
      helmet: false,
    },
    async (request, reply) => {
      const widget = request.widget!;
      const source = `${widget.id}:${request.ip}`;
      const now = deps.clock.now();
      const wait = await identifyFailures.retryAfter(source, now);
      if (wait > 0) {
        deps.metrics.rateLimited.inc({ route: request.routeOptions.url ?? 'unknown' });
        void reply.header('retry-after', String(wait));
        throw new LumioError('rate_limited', `Too many failed identifies from this address; try again in ${wait} s.`, {
          retryAfterSeconds: wait,
        });
      }
      try {
        const session = sessionOf(request, widget);
        const payload = parseIdentifyPayload(request.body, new Date(now));
        if (!payload.ok) {
          identify.recordFailure(widget, session, payload.issue.code, request.ip);
          throw LumioError.fromIssue(payload.issue);
        }
        return await identify.identify(widget, session, payload.value, request.ip, async () => {
          await widgetBudget.call(app, request, reply);
        });
      } catch (error) {
        // A refusal of the caller's own making (4xx) counts against its source; the widget's budget running out does not.
        if (error instanceof LumioError && error.status < 500 && error.code !== 'rate_limited') await identifyFailures.fail(source, now);
        throw error;
      }
    },
  );

  app.get('/widget/v1/:widgetId/me', hooks.readRoute, async (request) => {
    const widget = request.widget!;
    const session = sessionOf(request, widget);
    if (session.state === 'anonymous' || !session.userId)
      return { state: session.state, anonymousId: session.anonymousId, userId: null, profile: null };
    const [user, browserVisible] = await Promise.all([
      users.get(widget.workspaceId, session.userId),
      session.state === 'verified' ? workspaceSettings.browserVisibleKeys(widget.workspaceId) : new Set<string>(),
    ]);
    // Only what the browser may read back: never a value the host's backend set, unless the workspace lists its key.
    const profile = user ? profileForBrowser(profileOf(user), session.state, browserVisible) : null;
    return { state: session.state, anonymousId: session.anonymousId, userId: session.userId, profile };
  });
}
