import type { FastifyInstance } from 'fastify';
import { ServerEventLimits, type ServerEventBatchAnswer } from '@lumio/protocol';
import type { Guards } from '../http/guards.js';
import { workspaceOf } from '../http/request-context.js';
import type { ServerEventIngestion } from './server-event-ingestion.js';

/**
 * POST /server/v1/events (workspace API key): a batch of the host backend's
 * events. The key alone decides the workspace; the answer has one result per
 * event, in request order (accepted, duplicate, or rejected with its code).
 */
export function registerServerEventsRoutes(app: FastifyInstance, ingestion: ServerEventIngestion, guards: Guards): void {
  app.post(
    '/server/v1/events',
    { config: { lumio: { scope: 'api-key' as const } }, preHandler: guards.requireApiKey, bodyLimit: ServerEventLimits.maxBodyBytes },
    async (request): Promise<ServerEventBatchAnswer> => ingestion.ingest(workspaceOf(request).id, request.body),
  );
}
