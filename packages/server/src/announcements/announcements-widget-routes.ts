import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../http/app-deps.js';
import { parseWith } from '../http/parse-body.js';
import type { WidgetApiHooks } from '../identity/widget-api-hooks.js';
import type { AnnouncementDelivery } from './announcement-delivery.js';

/**
 * The widget's side: what this session should see now (with the widget's
 * appearance), and seen / clicked / dismissed events.
 */
export function registerAnnouncementsWidgetRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'config'>,
  delivery: AnnouncementDelivery,
  hooks: WidgetApiHooks,
): void {
  const { widgetRoute, loadWidget, sessionOf } = hooks;
  const eventBody = z.object({ type: z.enum(['seen', 'clicked', 'dismissed']) }).strict();
  const idParam = (request: FastifyRequest) => (request.params as { announcementId: string }).announcementId;

  app.get('/widget/v1/:widgetId/announcements', { config: widgetRoute, preHandler: loadWidget, helmet: false }, async (request) => {
    const widget = request.widget!;
    const session = sessionOf(request, widget);
    return { appearance: widget.appearance, announcements: await delivery.forSession(widget.workspaceId, session) };
  });

  app.post(
    '/widget/v1/:widgetId/announcements/:announcementId/events',
    {
      config: {
        ...widgetRoute,
        // A few events per announcement shown; the identify limit per IP bounds a flood the same way.
        rateLimit: {
          max: deps.config.rateLimits.identifyPerIpPerMinute,
          timeWindow: 60_000,
          keyGenerator: (r: FastifyRequest) => `announcement-event-ip:${r.ip}`,
        },
      },
      preHandler: loadWidget,
      helmet: false,
    },
    async (request) => {
      const widget = request.widget!;
      const session = sessionOf(request, widget);
      const { type } = parseWith(eventBody, request.body);
      await delivery.record(widget.workspaceId, session, idParam(request), type);
      return { ok: true };
    },
  );
}
