import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseWith } from '../http/parse-body.js';
import type { WidgetApiHooks } from '../identity/widget-api-hooks.js';
import type { AnnouncementDelivery } from './announcement-delivery.js';

/**
 * The widget's side: what this session should see now (with the widget's
 * appearance), and seen / clicked / dismissed events.
 */
export function registerAnnouncementsWidgetRoutes(app: FastifyInstance, delivery: AnnouncementDelivery, hooks: WidgetApiHooks): void {
  const { sessionOf, readRoute } = hooks;
  const eventBody = z.object({ type: z.enum(['seen', 'clicked', 'dismissed']) }).strict();
  const idParam = (request: FastifyRequest) => (request.params as { announcementId: string }).announcementId;

  app.get('/widget/v1/:widgetId/announcements', readRoute, async (request) => {
    const widget = request.widget!;
    const session = sessionOf(request, widget);
    const { appearance } = widget;
    return { appearance, announcements: await delivery.forSession(widget.workspaceId, session, appearance.bannerPlacement) };
  });

  app.post('/widget/v1/:widgetId/announcements/:announcementId/events', hooks.writeRoute('announcement-event'), async (request) => {
    const widget = request.widget!;
    const session = sessionOf(request, widget);
    const { type } = parseWith(eventBody, request.body);
    await delivery.record(widget.workspaceId, session, idParam(request), type);
    return { ok: true };
  });
}
