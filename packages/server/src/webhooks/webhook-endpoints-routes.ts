import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  WEBHOOK_DELIVERY_STATES,
  webhookEndpointBody,
  webhookEndpointPatchBody,
  type WebhookDeliveriesAnswer,
  type WebhookEndpointsAnswer,
} from '@lumio/protocol';
import type { Guards } from '../http/guards.js';
import { parseWith } from '../http/parse-body.js';
import { actorOf } from '../audit/actor-of.js';
import { workspaceOf } from '../http/request-context.js';
import type { WebhookEndpoints } from './webhook-endpoints-service.js';
import type { WebhookDeliveries } from './webhook-deliveries-reader.js';

const deliveriesQuery = z.object({
  state: z.enum(WEBHOOK_DELIVERY_STATES).optional(),
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/**
 * Webhooks in the dashboard: endpoints, their secret (shown at creation and
 * rotation only), the delivery log and resend. Owners and admins only, reads
 * included: a payload carries users' profiles.
 */
export function registerWebhookEndpointsRoutes(
  app: FastifyInstance,
  services: { endpoints: WebhookEndpoints; deliveries: WebhookDeliveries },
  guards: Guards,
): void {
  const { endpoints, deliveries } = services;
  const admin = guards.workspaceRoute('admin');
  const base = '/api/v1/workspaces/:workspaceId/webhooks';
  const endpointParam = (request: FastifyRequest) => (request.params as { endpointId: string }).endpointId;

  app.get(base, admin, async (request): Promise<WebhookEndpointsAnswer> => ({ endpoints: await endpoints.list(workspaceOf(request).id) }));

  app.post(base, admin, async (request, reply) => {
    const body = parseWith(webhookEndpointBody, request.body);
    return reply.status(201).send(await endpoints.create(workspaceOf(request).id, body, actorOf(request)));
  });

  app.get(`${base}/:endpointId`, admin, async (request) => endpoints.get(workspaceOf(request).id, endpointParam(request)));

  app.patch(`${base}/:endpointId`, admin, async (request) => {
    const body = parseWith(webhookEndpointPatchBody, request.body);
    return endpoints.update(workspaceOf(request).id, endpointParam(request), body, actorOf(request));
  });

  app.delete(`${base}/:endpointId`, admin, async (request, reply) => {
    await endpoints.delete(workspaceOf(request).id, endpointParam(request), actorOf(request));
    return reply.status(204).send();
  });

  app.post(`${base}/:endpointId/rotate-secret`, admin, async (request, reply) =>
    reply.status(201).send(await endpoints.rotateSecret(workspaceOf(request).id, endpointParam(request), actorOf(request))),
  );

  app.get(`${base}/:endpointId/deliveries`, admin, async (request): Promise<WebhookDeliveriesAnswer> => {
    const query = parseWith(deliveriesQuery, request.query);
    const ws = workspaceOf(request);
    await endpoints.get(ws.id, endpointParam(request));
    return deliveries.list(ws.id, endpointParam(request), query);
  });

  app.post(`${base}/:endpointId/deliveries/:deliveryId/resend`, admin, async (request, reply) => {
    const { deliveryId } = request.params as { deliveryId: string };
    const ws = workspaceOf(request);
    return reply.status(202).send(await deliveries.resend(ws.id, endpointParam(request), deliveryId, actorOf(request)));
  });
}
