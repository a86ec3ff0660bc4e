import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { normalizeUserId, parseCompanies, validateProperties, validateStandardTraits, type StandardTraits } from '@lumio/protocol';
import { userViewerKeys } from '../identity/viewer-key.js';
import type { AppDeps } from '../http/app-deps.js';
import type { Guards } from '../http/guards.js';
import { parseWith } from '../http/parse-body.js';
import { actorOf } from '../audit/actor-of.js';
import { workspaceOf } from '../http/request-context.js';
import { LumioError } from '../errors/lumio-error.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { GroupCommit } from '../db/group-commit.js';
import type { IdentityLog } from '../identity/identity-log.js';
import { decodeUserCursor, type UsersStore } from './users-store.js';
import { personOf, type EventStore } from '../analytics/event-store.js';
import type { EventSnapshots } from '../analytics/event-snapshots.js';
import { eraseUser, type ErasureServices } from './user-erasure.js';
import type { InterestsReader } from '../interests/interests-reader.js';
import { userInterests } from '../interests/user-interests.js';
import { CompaniesReader } from '../companies/companies-reader.js';
import { CompaniesStore, companyKey } from '../companies/companies-store.js';
import type { InterestWriter } from '../interests/interest-writer.js';
import { resolveUserId, type UserAliases } from './user-aliases.js';
import { mergeUsers } from './user-merge.js';
import { recordUserChange } from './user-webhooks.js';

/** Newest events an export carries (a privacy export is read by people; the rest stays reportable). */
const MAX_EXPORTED_EVENTS = 100_000;

// Schemas are built once: zod compiles each on first use.
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100), cursor: z.string().max(2000).optional() });
const upsertBody = z.strictObject({
  name: z.unknown().optional(),
  email: z.unknown().optional(),
  birthday: z.unknown().optional(),
  gender: z.unknown().optional(),
  properties: z.unknown().optional(),
  // Trusted memberships (docs/companies.md): the user joins each company, created or updated with these values.
  company: z.unknown().optional(),
  companies: z.unknown().optional(),
});
const mergeBody = z.strictObject({ from: z.union([z.string(), z.number()]) });

/**
 * The server API for host backends (workspace API key): upsert trusted
 * profiles, read and list users, export and erase a user for privacy requests.
 * The dashboard's view of users is users-dashboard-routes.ts.
 */
export function registerUsersRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'db' | 'adapter' | 'clock'>,
  services: {
    users: UsersStore;
    audit: AuditLog;
    writes: GroupCommit;
    identityLog: IdentityLog;
    events: EventStore;
    snapshots: EventSnapshots;
    interests: InterestsReader;
    interestWriter: Pick<InterestWriter, 'add'>;
    aliases: UserAliases;
  } & Pick<ErasureServices, 'interestBuffer'>,
  guards: Guards,
): void {
  const { users, audit, writes, identityLog, events, interests, aliases } = services;
  const companiesStore = new CompaniesStore(deps);
  const companiesReader = new CompaniesReader(deps);
  const apiKey = { config: { lumio: { scope: 'api-key' as const } }, preHandler: guards.requireApiKey };
  const userIdOf = (raw: unknown): string => {
    const result = normalizeUserId(raw);
    if (!result.ok) throw LumioError.fromIssue(result.issue);
    return result.value;
  };
  // An old id merged into another names the survivor (docs/server-api.md, Merge): its answers carry the survivor's userId.
  const userIdParam = (request: FastifyRequest): Promise<string> =>
    resolveUserId(
      aliases,
      workspaceOf(request).id,
      userIdOf((request.params as { userId: string }).userId),
      async (id) => (await users.get(workspaceOf(request).id, id)) !== null,
    );
  const mustGet = async (workspaceId: string, userId: string) => {
    const user = await users.get(workspaceId, userId);
    if (!user) throw new LumioError('not_found', 'No user with this userId in this workspace.');
    return user;
  };

  app.get('/server/v1/users', apiKey, async (request) => {
    const query = parseWith(listQuery, request.query);
    return users.list(workspaceOf(request).id, { limit: query.limit, after: query.cursor ? decodeUserCursor(query.cursor) : undefined });
  });

  app.get('/server/v1/users/:userId', apiKey, async (request) => mustGet(workspaceOf(request).id, await userIdParam(request)));

  app.put('/server/v1/users/:userId', apiKey, async (request) => {
    const userId = await userIdParam(request);
    const body = parseWith(upsertBody, request.body);
    const traits = validateStandardTraits(body as StandardTraits);
    if (!traits.ok) throw LumioError.fromIssue(traits.issue);
    const properties = validateProperties(body.properties);
    if (!properties.ok) throw LumioError.fromIssue(properties.issue);
    const companies = parseCompanies(body);
    const bad = companies.errors[0];
    if (bad) throw new LumioError(bad.code, `${bad.field}: ${bad.message}`, { field: bad.field });
    const workspaceId = workspaceOf(request).id;
    // Beside identifies in the group transaction, after any of the same user or companies (db/group-commit.ts).
    const userKey = `${workspaceId}\u0000${userId}`;
    // Values from the host's backend are trusted: they override anything a browser claimed.
    const result = await writes.submit(
      async (trx) => {
        const applied = await users.applyProfile(
          trx,
          workspaceId,
          userId,
          [{ traits: traits.value, properties: properties.value, source: 'trusted' }],
          'identified',
        );
        const now = deps.clock.now();
        for (const company of companies.companies) {
          await companiesStore.upsert(trx, workspaceId, company, 'trusted', now);
          await companiesStore.join(trx, workspaceId, userId, company.id, 'trusted', now);
        }
        await recordUserChange(trx, workspaceId, applied.previous, applied.user, deps.clock.now());
        return applied;
      },
      userKey,
      [userKey, ...companies.companies.map((company) => companyKey(workspaceId, company.id))],
    );
    return result.user;
  });

  app.get('/server/v1/users/:userId/export', apiKey, async (request) => {
    const workspaceId = workspaceOf(request).id;
    const userId = await userIdParam(request);
    const user = await mustGet(workspaceId, userId);
    await identityLog.flush();
    const identityLogEntries = await deps.db
      .selectFrom('identity_log')
      .select(['widget_id', 'created_at', 'outcome', 'reason', 'anonymous_id', 'ip'])
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
    const announcementStates = await deps.db
      .selectFrom('announcement_states')
      .select(['announcement_id', 'viewer', 'seen_at', 'clicked_at', 'dismissed_at'])
      .where('workspace_id', '=', workspaceId)
      .where('viewer', 'in', userViewerKeys(userId))
      .orderBy('announcement_id')
      .execute();
    const savedArticles = await deps.db
      .selectFrom('article_saves')
      .select(['article_id', 'viewer', 'saved_at'])
      .where('workspace_id', '=', workspaceId)
      .where('viewer', 'in', userViewerKeys(userId))
      .orderBy('saved_at')
      .execute();
    const articleFeedback = await deps.db
      .selectFrom('article_feedback')
      .select(['article_id', 'viewer', 'helpful', 'at'])
      .where('workspace_id', '=', workspaceId)
      .where('viewer', 'in', userViewerKeys(userId))
      .orderBy('at')
      .execute();
    // Every topic of both partitions, labelled like the rest (verified: true for `v:`).
    const profile = await userInterests(interests, workspaceId, userId, deps.clock.now());
    return {
      exportedAt: new Date().toISOString(),
      interests: {
        halfLifeDays: profile.halfLifeDays,
        topics: [...profile.verified.map((t) => ({ ...t, verified: true })), ...profile.unverified.map((t) => ({ ...t, verified: false }))],
      },
      savedArticles: savedArticles.map((s) => ({ articleId: s.article_id, verified: s.viewer.startsWith('v:'), savedAt: s.saved_at })),
      articleFeedback: articleFeedback.map((f) => ({
        articleId: f.article_id,
        verified: f.viewer.startsWith('v:'),
        helpful: f.helpful === 1,
        at: f.at,
      })),
      user,
      companies: await companiesReader.ofUser(workspaceId, userId),
      anonymousIds: await users.links(workspaceId, userId),
      events: await events.recent(workspaceId, personOf(userId, ''), MAX_EXPORTED_EVENTS),
      announcements: announcementStates.map((s) => ({
        announcementId: s.announcement_id,
        verified: s.viewer.startsWith('v:'),
        seenAt: s.seen_at,
        clickedAt: s.clicked_at,
        dismissedAt: s.dismissed_at,
      })),
      identityLog: identityLogEntries.map((e) => ({
        widgetId: e.widget_id,
        at: e.created_at,
        outcome: e.outcome,
        reason: e.reason,
        anonymousId: e.anonymous_id,
        ip: e.ip,
      })),
    };
  });

  app.delete('/server/v1/users/:userId', apiKey, async (request) => {
    const erased = await eraseUser(services, workspaceOf(request).id, await userIdParam(request), actorOf(request));
    await aliases.changed(workspaceOf(request).id);
    return erased;
  });

  app.post('/server/v1/users/:userId/merge', apiKey, async (request) => {
    const body = parseWith(mergeBody, request.body);
    const to = userIdOf((request.params as { userId: string }).userId);
    return mergeUsers(deps, services, workspaceOf(request).id, to, userIdOf(body.from), actorOf(request));
  });
}
