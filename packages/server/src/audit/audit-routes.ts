import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Guards } from '../http/guards.js';
import { parseWith } from '../http/parse-body.js';
import { workspaceOf } from '../http/request-context.js';
import type { AuditLog } from './audit-log.js';

/** The audit log: owner/admin only. */
export function registerAuditRoutes(app: FastifyInstance, audit: AuditLog, guards: Guards): void {
  app.get('/api/v1/workspaces/:workspaceId/audit-log', guards.workspaceRoute('admin'), async (request) => {
    const query = parseWith(
      z.object({ limit: z.coerce.number().int().min(1).max(500).default(100), before: z.coerce.number().int().optional() }),
      request.query,
    );
    return audit.list(workspaceOf(request).id, query);
  });
}
