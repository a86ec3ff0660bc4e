import type { FastifyInstance } from 'fastify';
import { apiKeyBody, type ApiKeysAnswer } from '@lumio/protocol';
import type { Guards } from '../http/guards.js';
import { parseWith } from '../http/parse-body.js';
import { actorOf } from '../audit/actor-of.js';
import { workspaceOf } from '../http/request-context.js';
import type { ApiKeysService } from './api-keys-service.js';

/** Workspace API keys: owner/admin only. */
export function registerApiKeysRoutes(app: FastifyInstance, apiKeys: ApiKeysService, guards: Guards): void {
  const admin = guards.workspaceRoute('admin');

  app.get('/api/v1/workspaces/:workspaceId/api-keys', admin, async (request): Promise<ApiKeysAnswer> => ({
    apiKeys: await apiKeys.list(workspaceOf(request).id),
  }));

  app.post('/api/v1/workspaces/:workspaceId/api-keys', admin, async (request, reply) => {
    const body = parseWith(apiKeyBody, request.body);
    return reply.status(201).send(await apiKeys.create(workspaceOf(request).id, body.name, actorOf(request)));
  });

  app.delete('/api/v1/workspaces/:workspaceId/api-keys/:keyId', admin, async (request, reply) => {
    const { keyId } = request.params as { keyId: string };
    await apiKeys.revoke(workspaceOf(request).id, keyId, actorOf(request));
    return reply.status(204).send();
  });
}
