import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../http/app-deps.js';
import { LumioError } from '../errors/lumio-error.js';
import { isOriginAllowed } from '../widgets/widget-origins.js';
import type { WidgetRegistry, WidgetRuntime } from '../widgets/widget-registry.js';
import type { SessionClaims, SessionTokens } from './session-tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    widget: WidgetRuntime | null;
  }
}

/** What every public widget API route uses: the widget's CORS policy and the session token. */
export interface WidgetApiHooks {
  /** Route config marking a widget-scoped route (read by the tenant-isolation test). */
  widgetRoute: { lumio: { scope: 'widget' } };
  /** Lets the calling page read the answer, refusals included. */
  echoOrigin(request: FastifyRequest, reply: FastifyReply): void;
  /** preHandler: resolves `:widgetId` and refuses origins the widget does not allow. */
  loadWidget(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** The verified session claims of the bearer token, for this widget; `invalid_session` otherwise. */
  sessionOf(request: FastifyRequest, widget: WidgetRuntime): SessionClaims;
  /** Route options of a widget read: scope, widget loading, no browser-page headers. */
  readRoute: WidgetRouteOptions;
  /** Route options of a widget write (saves, feedback, events): a read's, bounded per IP (like identify unless `perIpPerMinute`), under its own key. */
  writeRoute(name: string, perIpPerMinute?: number): WidgetRouteOptions;
}

/** Route options shared by the widget API's routes. */
export interface WidgetRouteOptions {
  config: {
    lumio: { scope: 'widget' };
    rateLimit?: { max: number; timeWindow: number; keyGenerator: (request: FastifyRequest) => string };
  };
  preHandler: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  // JSON for scripts on other origins: helmet's browser-page headers (frame, HSTS, CSP…) do nothing here but cost bytes.
  helmet: false;
}

/** Builds the widget API hooks once and decorates requests with `widget`; call once per app. */
export function createWidgetApiHooks(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'clock' | 'config'>,
  services: { registry: WidgetRegistry; sessionTokens: SessionTokens },
): WidgetApiHooks {
  const { registry, sessionTokens } = services;
  app.decorateRequest('widget', null);

  // Every answer, refusals included, is readable by the calling page, so the
  // SDK can explain a refusal; whether the origin may act is decided below.
  const echoOrigin = (request: FastifyRequest, reply: FastifyReply) => {
    if (request.headers.origin) void reply.header('access-control-allow-origin', request.headers.origin).header('vary', 'Origin');
  };

  // Resolves the widget and applies its CORS policy before anything else runs.
  const loadWidget = async (request: FastifyRequest, reply: FastifyReply) => {
    const { widgetId } = request.params as { widgetId: string };
    const origin = request.headers.origin;
    echoOrigin(request, reply);
    const widget = await registry.get(widgetId);
    if (!widget) throw new LumioError('widget_not_found');
    if (origin !== undefined && !isOriginAllowed(widget.allowedOrigins, origin)) {
      throw new LumioError(
        'widget_origin_not_allowed',
        `The origin ${origin} is not allowed for this widget; add it to the widget's allowed origins.`,
        { origin },
      );
    }
    request.widget = widget;
  };

  const sessionOf = (request: FastifyRequest, widget: WidgetRuntime): SessionClaims => {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    const claims = match ? sessionTokens.verify(match[1]!, deps.clock.now()) : null;
    if (!claims || claims.widgetId !== widget.id) throw new LumioError('invalid_session');
    return claims;
  };

  const widgetRoute = { lumio: { scope: 'widget' as const } };
  const readRoute: WidgetRouteOptions = { config: widgetRoute, preHandler: loadWidget, helmet: false };
  const writeRoute = (name: string, perIpPerMinute?: number): WidgetRouteOptions => ({
    ...readRoute,
    config: {
      ...widgetRoute,
      // A few writes per thing shown: the identify limit per IP bounds a flood the same way.
      rateLimit: {
        max: perIpPerMinute ?? deps.config.rateLimits.identifyPerIpPerMinute,
        timeWindow: 60_000,
        keyGenerator: (r: FastifyRequest) => `${name}-ip:${r.ip}`,
      },
    },
  });
  return { widgetRoute, echoOrigin, loadWidget, sessionOf, readRoute, writeRoute };
}
