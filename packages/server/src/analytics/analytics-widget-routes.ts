import type { FastifyInstance } from 'fastify';
import type { EventBatchAnswer } from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import type { WidgetApiHooks } from '../identity/widget-api-hooks.js';
import type { EventIngestion } from './event-ingestion.js';

/**
 * POST /widget/v1/:widgetId/events: a batch of the SDK's events. Identity
 * comes from the session token alone; the answer lists what was stored,
 * what was a duplicate, and each refused event with its code.
 */
export function registerAnalyticsWidgetRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'config'>,
  ingestion: EventIngestion,
  hooks: WidgetApiHooks,
): void {
  const write = hooks.writeRoute('events', deps.config.rateLimits.eventBatchesPerIpPerMinute);
  app.post('/widget/v1/:widgetId/events', write, async (request): Promise<EventBatchAnswer> => {
    const widget = request.widget!;
    return ingestion.ingest(widget, hooks.sessionOf(request, widget), request.body);
  });
}
