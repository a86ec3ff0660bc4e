import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { normalizeUserId, type CompanyListAnswer, type CompanyPageAnswer } from '@lumio/protocol';
import type { Guards } from '../http/guards.js';
import { parseWith } from '../http/parse-body.js';
import { workspaceOf } from '../http/request-context.js';
import { LumioError } from '../errors/lumio-error.js';
import type { CompaniesDashboardReader } from './companies-dashboard-reader.js';
import { decodeCursor } from './companies-reader.js';

const listQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(2000).optional(),
    // The start of a company id or name.
    q: z.string().max(255).optional(),
    // Only the companies this user belongs to (the user page's list).
    userId: z.string().min(1).max(1020).optional(),
  })
  .strict();
const companyQuery = z.object({ cursor: z.string().max(2000).optional() }).strict();

/**
 * The workspace's companies in the dashboard: any member lists them (search
 * by the start of the company id or name, or the companies of one user) and
 * reads one with its people and their recent activity.
 */
export function registerCompaniesDashboardRoutes(app: FastifyInstance, companies: CompaniesDashboardReader, guards: Guards): void {
  const member = guards.workspaceRoute('member');
  const base = '/api/v1/workspaces/:workspaceId/companies';

  app.get(base, member, async (request): Promise<CompanyListAnswer> => {
    const { limit, cursor, q, userId } = parseWith(listQuery, request.query);
    let user: string | undefined;
    if (userId !== undefined) {
      const normalized = normalizeUserId(userId);
      if (!normalized.ok) throw LumioError.fromIssue(normalized.issue);
      user = normalized.value;
    }
    return companies.list(workspaceOf(request).id, {
      limit,
      after: cursor ? decodeCursor(cursor) : undefined,
      query: q,
      userId: user,
    });
  });

  app.get(`${base}/:companyId`, member, async (request): Promise<CompanyPageAnswer> => {
    const { cursor } = parseWith(companyQuery, request.query);
    const { companyId } = request.params as { companyId: string };
    const answer = await companies.get(workspaceOf(request).id, companyId, cursor ? decodeCursor(cursor) : undefined);
    if (!answer) throw new LumioError('not_found', 'No company with this id in this workspace.');
    return answer;
  });
}
