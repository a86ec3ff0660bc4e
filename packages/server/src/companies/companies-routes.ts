import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { normalizeCompanyId, normalizeUserId, validateCompany } from '@lumio/protocol';
import type { Guards } from '../http/guards.js';
import { parseWith } from '../http/parse-body.js';
import { actorOf } from '../audit/actor-of.js';
import { workspaceOf } from '../http/request-context.js';
import { LumioError } from '../errors/lumio-error.js';
import { decodeCursor } from './companies-reader.js';
import type { CompaniesService } from './companies-service.js';

// Schemas are built once: zod compiles each on first use.
const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(2000).optional(),
  query: z.string().max(200).optional(),
});
const upsertBody = z.strictObject({ name: z.unknown().optional(), properties: z.unknown().optional() });

/**
 * The server API's companies (workspace API key): upsert trusted values, read,
 * list, export and erase a company, and add or remove a member. See
 * docs/companies.md.
 */
export function registerCompaniesRoutes(app: FastifyInstance, companies: CompaniesService, guards: Guards): void {
  const apiKey = { config: { lumio: { scope: 'api-key' as const } }, preHandler: guards.requireApiKey };
  const companyIdParam = (request: FastifyRequest): string => {
    const result = normalizeCompanyId((request.params as { companyId: string }).companyId, 'companyId');
    if (!result.ok) throw LumioError.fromIssue(result.issue);
    return result.value;
  };
  const userIdParam = (request: FastifyRequest): string => {
    const result = normalizeUserId((request.params as { userId: string }).userId);
    if (!result.ok) throw LumioError.fromIssue(result.issue);
    return result.value;
  };

  app.get('/server/v1/companies', apiKey, async (request) => {
    const query = parseWith(listQuery, request.query);
    return companies.reader.list(workspaceOf(request).id, {
      limit: query.limit,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
      query: query.query,
    });
  });

  app.get('/server/v1/companies/:companyId', apiKey, async (request) => {
    const workspaceId = workspaceOf(request).id;
    const companyId = companyIdParam(request);
    const company = await companies.mustGet(workspaceId, companyId);
    return { ...company, memberCount: await companies.reader.memberCount(workspaceId, companyId) };
  });

  app.put('/server/v1/companies/:companyId', apiKey, async (request) => {
    const companyId = companyIdParam(request);
    const body = parseWith(upsertBody, request.body ?? {});
    const checked = validateCompany({ ...body, id: companyId }, 'company');
    if (!checked.ok) throw LumioError.fromIssue(checked.issue);
    const { company } = await companies.upsert(workspaceOf(request).id, checked.value, actorOf(request));
    return company;
  });

  app.get('/server/v1/companies/:companyId/members', apiKey, async (request) => {
    const workspaceId = workspaceOf(request).id;
    const companyId = companyIdParam(request);
    const query = parseWith(listQuery.omit({ query: true }), request.query);
    await companies.mustGet(workspaceId, companyId);
    return companies.reader.members(workspaceId, companyId, {
      limit: query.limit,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
    });
  });

  app.put('/server/v1/companies/:companyId/users/:userId', apiKey, async (request) =>
    companies.addUser(workspaceOf(request).id, companyIdParam(request), userIdParam(request), actorOf(request)),
  );

  app.delete('/server/v1/companies/:companyId/users/:userId', apiKey, async (request) =>
    companies.removeUser(workspaceOf(request).id, companyIdParam(request), userIdParam(request), actorOf(request)),
  );

  app.get('/server/v1/companies/:companyId/export', apiKey, async (request) =>
    companies.export(workspaceOf(request).id, companyIdParam(request)),
  );

  app.delete('/server/v1/companies/:companyId', apiKey, async (request) =>
    companies.erase(workspaceOf(request).id, companyIdParam(request), actorOf(request)),
  );
}
