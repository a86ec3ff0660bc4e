import type { FastifyInstance, FastifyRequest } from 'fastify';
import { webhookEndpointBody, webhookEndpointPatchBody, type WebhookEndpointsAnswer } from '@lumio/protocol';
import type { Guards } from '../http/guards.js';
import { parseWith } from '../http/parse-body.js';
import { actorOf } from '../audit/actor-of.js';
import { workspaceOf } from '../http/request-context.js';
import type { WebhookEndpoints } from './webhook-endpoints-service.js';

/**
 * Webhook endpoints through the server API (workspace API key): the same
 * endpoints, checks and audit as the dashboard's; the secret is answered by
 * the create alone.
 */
export function registerWebhookServerRoutes(app: FastifyInstance, endpoints: WebhookEndpoints, guards: Guards): void {
  const apiKey = { config: { lumio: { scope: 'api-key' as const } }, preHandler: guards.requireApiKey };
  const endpointParam = (request: FastifyRequest) => (request.params as { endpointId: string }).endpointId;

  app.get('/server/v1/webhooks', apiKey, async (request): Promise<WebhookEndpointsAnswer> => ({
    endpoints: await endpoints.list(workspaceOf(request).id),
  }));

  app.post('/server/v1/webhooks', apiKey, async (request, reply) => {
    const body = parseWith(webhookEndpointBody, request.body);
    return reply.status(201).send(await endpoints.create(workspaceOf(request).id, body, actorOf(request)));
  });

  app.get('/server/v1/webhooks/:endpointId', apiKey, async (request) => endpoints.get(workspaceOf(request).id, endpointParam(request)));

  app.patch('/server/v1/webhooks/:endpointId', apiKey, async (request) => {
    const body = parseWith(webhookEndpointPatchBody, request.body);
    return endpoints.update(workspaceOf(request).id, endpointParam(request), body, actorOf(request));
  });

  app.delete('/server/v1/webhooks/:endpointId', apiKey, async (request, reply) => {
    await endpoints.delete(workspaceOf(request).id, endpointParam(request), actorOf(request));
    return reply.status(204).send();
  });
}
