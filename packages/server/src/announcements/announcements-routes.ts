import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  announcementPreviewBody,
  createAnnouncementBody,
  patchAnnouncementBody,
  type AnnouncementStatsAnswer,
  type AnnouncementViewsAnswer,
} from '@lumio/protocol';
import type { Guards } from '../http/guards.js';
import { parseWith } from '../http/parse-body.js';
import { actorOf } from '../audit/actor-of.js';
import { workspaceOf } from '../http/request-context.js';
import type { AnnouncementsService } from './announcements-service.js';

/** The dashboard's announcements: members and above write them; deleting one (and its viewers' states) takes an admin. */
export function registerAnnouncementsRoutes(app: FastifyInstance, announcements: AnnouncementsService, guards: Guards): void {
  const member = guards.workspaceRoute('member');
  const admin = guards.workspaceRoute('admin');
  const idParam = (request: FastifyRequest) => (request.params as { announcementId: string }).announcementId;
  const listQuery = z.object({ status: z.enum(['draft', 'scheduled', 'live', 'ended']).optional() });

  app.get('/api/v1/workspaces/:workspaceId/announcements', member, async (request): Promise<AnnouncementViewsAnswer> => {
    const { status } = parseWith(listQuery, request.query);
    return { announcements: await announcements.list(workspaceOf(request).id, status) };
  });

  app.post('/api/v1/workspaces/:workspaceId/announcements', member, async (request, reply) => {
    const body = parseWith(createAnnouncementBody, request.body);
    return reply.status(201).send(await announcements.create(workspaceOf(request).id, body, actorOf(request)));
  });

  // The list's key numbers in one request, not one per row.
  app.get('/api/v1/workspaces/:workspaceId/announcements/stats', member, async (request): Promise<AnnouncementStatsAnswer> => ({
    stats: await announcements.statsByAnnouncement(workspaceOf(request).id),
  }));

  // The editor's preview: the server's renderer and sanitiser, so the dashboard never shows HTML the widget would not.
  app.post('/api/v1/workspaces/:workspaceId/announcements/preview', member, async (request) => {
    const { body } = parseWith(announcementPreviewBody, request.body);
    return announcements.renderPreview(body);
  });

  app.get('/api/v1/workspaces/:workspaceId/announcements/:announcementId', member, async (request) =>
    announcements.get(workspaceOf(request).id, idParam(request)),
  );

  app.patch('/api/v1/workspaces/:workspaceId/announcements/:announcementId', member, async (request) => {
    const body = parseWith(patchAnnouncementBody, request.body);
    return announcements.update(workspaceOf(request).id, idParam(request), body, actorOf(request));
  });

  app.delete('/api/v1/workspaces/:workspaceId/announcements/:announcementId', admin, async (request, reply) => {
    await announcements.delete(workspaceOf(request).id, idParam(request), actorOf(request));
    return reply.status(204).send();
  });

  app.get('/api/v1/workspaces/:workspaceId/announcements/:announcementId/audience', member, async (request) =>
    announcements.audience(workspaceOf(request).id, idParam(request)),
  );

  app.get('/api/v1/workspaces/:workspaceId/announcements/:announcementId/stats', member, async (request) =>
    announcements.stats(workspaceOf(request).id, idParam(request)),
  );
}
