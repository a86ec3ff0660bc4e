import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { normalizeUserId, USER_INTERESTS_SHOWN, type UserProfile, type UsersAnswer } from '@lumio/protocol';
import { ConditionError } from '@lumio/targeting';
import type { AppDeps } from '../http/app-deps.js';
import type { Guards } from '../http/guards.js';
import { parseWith } from '../http/parse-body.js';
import { actorOf } from '../audit/actor-of.js';
import { workspaceOf } from '../http/request-context.js';
import { LumioError } from '../errors/lumio-error.js';
import { conditionToSql } from '../targeting/condition-sql.js';
import { checkCondition, type SegmentsService } from '../segments/segments-service.js';
import { conditionError } from '../errors/condition-error.js';
import { decodeUserCursor } from './users-store.js';
import { eraseUser, type ErasureServices } from './user-erasure.js';
import type { InterestsReader } from '../interests/interests-reader.js';
import { userInterests } from '../interests/user-interests.js';

const page = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(2000).optional(),
  // The start of a userId, email or name.
  query: z.string().max(255).optional(),
};
const listQuery = z.object(page).strict();
const searchBody = z
  .object({
    ...page,
    limit: z.number().int().min(1).max(200).default(50),
    // Checked in full by the condition language, which says where it is wrong.
    condition: z.unknown().optional(),
    properties: z.enum(['all', 'trusted']).optional(),
  })
  .strict();

/**
 * The workspace's users in the dashboard: members find and read them (search
 * by userId, email or name; filter by a targeting condition, compiled to SQL
 * like an audience preview); owners and admins erase them, audited.
 */
export function registerUsersDashboardRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'adapter' | 'clock'>,
  services: ErasureServices & { segments: Pick<SegmentsService, 'resolver'>; interests: InterestsReader },
  guards: Guards,
): void {
  const { users, segments, interests } = services;
  const member = guards.workspaceRoute('member');
  const admin = guards.workspaceRoute('admin');
  const base = '/api/v1/workspaces/:workspaceId/users';
  const userIdParam = (request: FastifyRequest): string => {
    const result = normalizeUserId((request.params as { userId: string }).userId);
    if (!result.ok) throw LumioError.fromIssue(result.issue);
    return result.value;
  };

  const find = async (workspaceId: string, input: z.infer<typeof searchBody>): Promise<UsersAnswer> => {
    let where;
    if (input.condition !== undefined && input.condition !== null) {
      const condition = checkCondition(input.condition);
      // The same compiler and segment resolution as the segments' audience preview.
      const [resolver, halfLifeDays] = await Promise.all([segments.resolver(workspaceId), interests.halfLifeDays(workspaceId)]);
      const now = deps.clock.now();
      try {
        where = conditionToSql(condition, {
          dialect: deps.adapter.name,
          now,
          view: input.properties ?? 'all',
          segment: resolver,
          interests: { halfLifeDays, now },
        });
      } catch (error) {
        // An unknown segment or a cycle is the caller's condition at fault.
        if (error instanceof ConditionError) throw conditionError(error.issues);
        throw error;
      }
    }
    return users.search(workspaceId, {
      limit: input.limit,
      after: input.cursor ? decodeUserCursor(input.cursor) : undefined,
      query: input.query,
      where,
    });
  };

  app.get(base, member, async (request) => {
    const query = parseWith(listQuery, request.query);
    return find(workspaceOf(request).id, query);
  });

  // A POST so the condition travels as JSON, not squeezed into a query string.
  app.post(`${base}/search`, member, async (request) => find(workspaceOf(request).id, parseWith(searchBody, request.body)));

  app.get(`${base}/:userId`, member, async (request): Promise<UserProfile> => {
    const workspaceId = workspaceOf(request).id;
    const userId = userIdParam(request);
    const [user, anonymousIds, profile] = await Promise.all([
      users.get(workspaceId, userId),
      users.linkCount(workspaceId, userId),
      userInterests(interests, workspaceId, userId, deps.clock.now(), USER_INTERESTS_SHOWN),
    ]);
    if (!user) throw new LumioError('not_found', 'No user with this userId in this workspace.');
    return { user, anonymousIds, interests: profile };
  });

  app.delete(`${base}/:userId`, admin, async (request) =>
    eraseUser(services, workspaceOf(request).id, userIdParam(request), actorOf(request)),
  );
}
