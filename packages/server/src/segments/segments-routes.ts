import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { audiencePreviewBody, segmentBody, segmentPatchBody, type SegmentsAnswer } from '@lumio/protocol';
import type { Guards } from '../http/guards.js';
import { parseWith } from '../http/parse-body.js';
import { actorOf } from '../audit/actor-of.js';
import { workspaceOf } from '../http/request-context.js';
import type { SegmentsService } from './segments-service.js';

/** Saved segments (members and above) and audience previews. */
export function registerSegmentsRoutes(app: FastifyInstance, segments: SegmentsService, guards: Guards): void {
  const member = guards.workspaceRoute('member');
  const segmentParam = (request: FastifyRequest) => (request.params as { segmentId: string }).segmentId;
  const view = z.enum(['all', 'trusted']).optional();

  app.get('/api/v1/workspaces/:workspaceId/segments', member, async (request): Promise<SegmentsAnswer> => ({
    segments: await segments.list(workspaceOf(request).id),
  }));

  app.post('/api/v1/workspaces/:workspaceId/segments', member, async (request, reply) => {
    const body = parseWith(segmentBody, request.body);
    return reply.status(201).send(await segments.create(workspaceOf(request).id, body, actorOf(request)));
  });

  // Who a condition would reach, before it is saved anywhere.
  app.post('/api/v1/workspaces/:workspaceId/segments/preview', member, async (request) => {
    const body = parseWith(audiencePreviewBody, request.body);
    return segments.audience(workspaceOf(request).id, body.condition, {
      view: body.properties ?? 'all',
      verifiedOnly: body.verifiedOnly ?? false,
    });
  });

  app.get('/api/v1/workspaces/:workspaceId/segments/:segmentId', member, async (request) =>
    segments.get(workspaceOf(request).id, segmentParam(request)),
  );

  app.patch('/api/v1/workspaces/:workspaceId/segments/:segmentId', member, async (request) => {
    const body = parseWith(segmentPatchBody, request.body);
    return segments.update(workspaceOf(request).id, segmentParam(request), body, actorOf(request));
  });

  app.delete('/api/v1/workspaces/:workspaceId/segments/:segmentId', member, async (request, reply) => {
    await segments.delete(workspaceOf(request).id, segmentParam(request), actorOf(request));
    return reply.status(204).send();
  });

  app.get('/api/v1/workspaces/:workspaceId/segments/:segmentId/audience', member, async (request) => {
    const { properties } = parseWith(z.object({ properties: view }), request.query);
    const workspaceId = workspaceOf(request).id;
    const segment = await segments.get(workspaceId, segmentParam(request));
    return segments.audience(workspaceId, segment.condition, { view: properties ?? 'all' });
  });
}
