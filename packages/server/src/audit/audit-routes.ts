import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isAuditAction } from '@lumio/protocol';
import type { Guards } from '../http/guards.js';
import { parseWith } from '../http/parse-body.js';
import { workspaceOf } from '../http/request-context.js';
import { LumioError } from '../errors/lumio-error.js';
import type { AuditLog } from './audit-log.js';
import { parseAuditDate } from './parse-audit-date.js';

const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().optional(),
  // An account id; one of another workspace matches nothing here, exactly like one that never existed.
  actor: z.string().min(1).max(64).optional(),
  action: z.string().max(64).optional(),
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
});

/** The audit log: owner/admin only; filtered by `actor`, `action`, `from` and `to`. */
export function registerAuditRoutes(app: FastifyInstance, audit: AuditLog, guards: Guards): void {
  app.get('/api/v1/workspaces/:workspaceId/audit-log', guards.workspaceRoute('admin'), async (request) => {
    const query = parseWith(auditQuery, request.query);
    if (query.action !== undefined && !isAuditAction(query.action))
      throw new LumioError('unknown_audit_action', undefined, { field: 'action' });
    const from = query.from === undefined ? undefined : parseAuditDate(query.from, 'from', 'start');
    const to = query.to === undefined ? undefined : parseAuditDate(query.to, 'to', 'end');
    if (from !== undefined && to !== undefined && from > to) throw new LumioError('invalid_date_range', undefined, { from, to });
    return audit.list(workspaceOf(request).id, {
      limit: query.limit,
      before: query.before,
      actorId: query.actor,
      action: query.action,
      from,
      to,
    });
  });
}
