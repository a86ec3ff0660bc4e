import { sql, type Kysely } from 'kysely';
import { STANDARD_TRAITS, type TrustLevel, type ValueSource } from '@lumio/protocol';
import type { Actor, AuditLog } from '../audit/audit-log.js';
import type { Database } from '../db/schema.js';
import type { AppDeps } from '../http/app-deps.js';
import { LumioError } from '../errors/lumio-error.js';
import type { IdentityLog } from '../identity/identity-log.js';
import { userViewerKeys } from '../identity/viewer-key.js';
import type { EventStore } from '../analytics/event-store.js';
import type { InterestBuffer } from '../interests/interest-buffer.js';
import type { InterestWriter, TopicDelta } from '../interests/interest-writer.js';
import type { InterestsReader } from '../interests/interests-reader.js';
import { decayedScore } from '../interests/interest-math.js';
import { profileOf, type UserView, type UsersStore } from './users-store.js';
import type { StoredProfile } from './profile-merge.js';
import type { UserAliases } from './user-aliases.js';
import { recordUserChange } from './user-webhooks.js';

/** What a merge did (the answer of `POST /server/v1/users/:userId/merge`). */
export interface UserMerge {
  merged: boolean;
  /** The surviving user (the path's id, or the id it was itself merged into). */
  userId: string;
  from: string;
  /** Whether the surviving user was created by the merge. */
  created: boolean;
  eventsMoved: number;
  anonymousIdsMoved: number;
  user: UserView;
}

/** What {@link mergeUsers} works with. */
export interface MergeServices {
  users: UsersStore;
  aliases: UserAliases;
  audit: AuditLog;
  identityLog: Pick<IdentityLog, 'flush'>;
  events: EventStore;
  interests: Pick<InterestsReader, 'halfLifeDays'>;
  interestWriter: Pick<InterestWriter, 'add'>;
  /** Queued interest activity (null when interests are written with the events). */
  interestBuffer: Pick<InterestBuffer, 'flush'> | null;
}

const RANK: Record<ValueSource, number> = { unverified: 1, claimed: 2, trusted: 3 };

/**
 * Merges user `from` into user `to` (PostHog's alias): in one transaction
 * everything of the old id becomes the survivor's — profile values by source
 * precedence, events and their rollups, anonymous links, identity-log
 * entries, saved articles, feedback, announcement states, interests and
 * company memberships — then the old user is deleted and its id becomes an
 * alias of the survivor (aliases of the old id are re-pointed, so chains stay
 * one hop). A `to` that is itself an alias merges into its survivor. Audited
 * and told to webhooks in the same transaction. See docs/server-api.md (Merge).
 */
export async function mergeUsers(
  deps: Pick<AppDeps, 'db' | 'adapter' | 'clock'>,
  services: MergeServices,
  workspaceId: string,
  toId: string,
  fromId: string,
  actor: Actor,
): Promise<UserMerge> {
  const { users, aliases, audit, events } = services;
  if (toId === fromId) throw new LumioError('merge_same_user');
  // Buffered log entries and interest activity of the old id must be stored before they can move.
  await services.identityLog.flush();
  await services.interestBuffer?.flush();
  const now = deps.clock.now();
  const result = await deps.db.transaction().execute(async (trx) => {
    const target = (await users.get(workspaceId, toId, trx)) ? toId : ((await aliases.resolve(workspaceId, toId, { db: trx })) ?? toId);
    if (target === fromId) throw new LumioError('merge_same_user');
    const source = await users.get(workspaceId, fromId, trx);
    if (!source) {
      // A retried merge finds its work done: answer as before, change nothing.
      const survivor = await aliases.resolve(workspaceId, fromId, { db: trx });
      const user = survivor === target ? await users.get(workspaceId, target, trx) : null;
      if (!user) throw new LumioError('not_found', 'No user with the `from` userId in this workspace.');
      return { merged: false, userId: target, from: fromId, created: false, eventsMoved: 0, anonymousIdsMoved: 0, user };
    }
    // Identify's copies name the old user and its links, here and (PostgreSQL) in the other processes.
    await users.forgetSnapshots(trx);
    const before = await users.get(workspaceId, target, trx);
    const user = await writeSurvivor(deps, trx, workspaceId, target, before, source, now);
    const eventsMoved = await events.mergeUser(trx, workspaceId, fromId, target);
    const links = await trx
      .updateTable('anonymous_links')
      .set({ user_id: target })
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', fromId)
      .executeTakeFirst();
    await trx
      .updateTable('identity_log')
      .set({ user_id: target })
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', fromId)
      .execute();
    await mergeViewerData(trx, services, workspaceId, fromId, target, now);
    await mergeMemberships(trx, workspaceId, fromId, target, now);
    await trx.deleteFrom('users').where('workspace_id', '=', workspaceId).where('user_id', '=', fromId).execute();
    // The survivor's id lives as a user: it is nobody's alias (an import may have re-created it).
    await trx.deleteFrom('user_aliases').where('workspace_id', '=', workspaceId).where('alias_id', '=', target).execute();
    await trx
      .updateTable('user_aliases')
      .set({ user_id: target })
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', fromId)
      .execute();
    await trx.insertInto('user_aliases').values({ workspace_id: workspaceId, alias_id: fromId, user_id: target, merged_at: now }).execute();
    await recordUserChange(trx, workspaceId, before, user, now, fromId);
    const anonymousIdsMoved = Number(links.numUpdatedRows);
    await audit.record(
      workspaceId,
      actor,
      'user.merge',
      { type: 'user', id: target },
      { from: fromId, created: !before, events: eventsMoved, anonymousIds: anonymousIdsMoved },
      trx,
    );
    return { merged: true, userId: target, from: fromId, created: !before, eventsMoved, anonymousIdsMoved, user };
  });
  if (result.merged) {
    // Again after the commit (a copy read meanwhile would name the old user); cached aliases may name it as a survivor.
    await users.forgetSnapshots(deps.db);
    await aliases.changed(workspaceId);
  }
  return result;
}

/**
 * The survivor's profile: each value from the stronger source (trusted >
 * claimed > unverified); on a tie, or a value of unknown source, the
 * survivor's own value stays. Trust is the higher of the two.
 */
export function mergeStoredProfiles(target: StoredProfile, source: StoredProfile): StoredProfile {
  const next: StoredProfile = { ...target, properties: { ...target.properties }, sources: { ...target.sources } };
  const wins = (key: string, held: boolean) => {
    if (!held) return true;
    const theirs = source.sources[key];
    const ours = target.sources[key];
    // A value of no known source is the backend's until proven otherwise (as profileForBrowser reads it).
    return theirs !== undefined && RANK[theirs] > RANK[ours ?? 'trusted'];
  };
  for (const trait of STANDARD_TRAITS) {
    const value = source[trait];
    if (value === null || !wins(trait, target[trait] !== null)) continue;
    next[trait] = value;
    if (source.sources[trait]) next.sources[trait] = source.sources[trait];
    else delete next.sources[trait];
  }
  for (const [key, value] of Object.entries(source.properties)) {
    const sourceKey = `properties.${key}`;
    if (value === null || value === undefined || !wins(sourceKey, key in target.properties)) continue;
    next.properties[key] = value;
    const from = source.sources[sourceKey];
    if (from) next.sources[sourceKey] = from;
    else delete next.sources[sourceKey];
  }
  return next;
}

async function writeSurvivor(
  deps: Pick<AppDeps, 'adapter'>,
  trx: Kysely<Database>,
  workspaceId: string,
  userId: string,
  before: UserView | null,
  source: UserView,
  now: number,
): Promise<UserView> {
  const profile = before ? mergeStoredProfiles(profileOf(before), profileOf(source)) : profileOf(source);
  const trust: TrustLevel = before?.trust === 'verified' || source.trust === 'verified' ? 'verified' : 'identified';
  const lastSeenAt = Math.max(before?.lastSeenAt ?? 0, source.lastSeenAt ?? 0) || null;
  const user: UserView = {
    ...profile,
    userId,
    trust,
    createdAt: Math.min(before?.createdAt ?? source.createdAt, source.createdAt),
    updatedAt: now,
    lastSeenAt,
  };
  const columns = {
    name: profile.name,
    email: profile.email,
    birthday: profile.birthday,
    gender: profile.gender,
    properties: deps.adapter.json(profile.properties),
    sources: deps.adapter.json(profile.sources),
    trust,
    created_at: user.createdAt,
    updated_at: now,
    last_seen_at: lastSeenAt,
  };
  if (before) await trx.updateTable('users').set(columns).where('workspace_id', '=', workspaceId).where('user_id', '=', userId).execute();
  else
    await trx
      .insertInto('users')
      .values({ workspace_id: workspaceId, user_id: userId, ...columns })
      .execute();
  return user;
}

/**
 * Moves what the old id's sessions saved, rated, saw and were interested in,
 * partition by partition (`v:` to `v:`, `i:` to `i:`): a verified session's
 * data stays verified and an unverified claimant's stays apart.
 */
async function mergeViewerData(
  trx: Kysely<Database>,
  services: Pick<MergeServices, 'interests' | 'interestWriter'>,
  workspaceId: string,
  fromId: string,
  toId: string,
  now: number,
): Promise<void> {
  const fromKeys = userViewerKeys(fromId);
  const toKeys = userViewerKeys(toId);
  const earliest = (column: string, table: string) =>
    sql.raw(
      `${column} = case when ${table}.${column} is null then excluded.${column} when excluded.${column} is null then ${table}.${column} ` +
        `when excluded.${column} < ${table}.${column} then excluded.${column} else ${table}.${column} end`,
    );
  for (let i = 0; i < fromKeys.length; i++) {
    const from = fromKeys[i]!;
    const to = toKeys[i]!;
    // Saved: the earliest save counts. SQLite needs the WHERE to tell these upserts from a join's ON.
    await sql`insert into article_saves (workspace_id, viewer, article_id, saved_at)
      select workspace_id, ${to}, article_id, saved_at from article_saves where workspace_id = ${workspaceId} and viewer = ${from}
      on conflict (workspace_id, viewer, article_id) do update set ${earliest('saved_at', 'article_saves')}`.execute(trx);
    // "Was this helpful?": the latest answer counts, as when one person answers twice.
    await sql`insert into article_feedback (workspace_id, viewer, article_id, helpful, at)
      select workspace_id, ${to}, article_id, helpful, at from article_feedback where workspace_id = ${workspaceId} and viewer = ${from}
      on conflict (workspace_id, viewer, article_id) do update set
        helpful = case when excluded.at > article_feedback.at then excluded.helpful else article_feedback.helpful end,
        at = case when excluded.at > article_feedback.at then excluded.at else article_feedback.at end`.execute(trx);
    // Announcements: the earliest time of each of seen, clicked and dismissed.
    await sql`insert into announcement_states (workspace_id, announcement_id, viewer, seen_at, clicked_at, dismissed_at)
      select workspace_id, announcement_id, ${to}, seen_at, clicked_at, dismissed_at from announcement_states
      where workspace_id = ${workspaceId} and viewer = ${from}
      on conflict (workspace_id, viewer, announcement_id) do update set
        ${earliest('seen_at', 'announcement_states')}, ${earliest('clicked_at', 'announcement_states')},
        ${earliest('dismissed_at', 'announcement_states')}`.execute(trx);
    for (const table of ['article_saves', 'article_feedback', 'announcement_states'] as const)
      await trx.deleteFrom(table).where('workspace_id', '=', workspaceId).where('viewer', '=', from).execute();
    await mergeInterests(trx, services, workspaceId, from, to, now);
  }
}

// Interests: each topic's scores decayed to now and summed, counters summed (as InterestWriter.mergeAnonymous).
async function mergeInterests(
  trx: Kysely<Database>,
  services: Pick<MergeServices, 'interests' | 'interestWriter'>,
  workspaceId: string,
  from: string,
  to: string,
  now: number,
): Promise<void> {
  const rows = await trx
    .selectFrom('interest_scores')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('viewer', '=', from)
    .orderBy('topic')
    .execute();
  if (rows.length === 0) return;
  const halfLife = await services.interests.halfLifeDays(workspaceId, trx);
  const deltas: TopicDelta[] = rows.map((r) => ({
    topic: r.topic,
    score: decayedScore(Number(r.score), Number(r.updated_at), now, halfLife),
    views: Number(r.views),
    saves: Number(r.saves),
    helpfulVotes: Number(r.helpful_votes),
    searchClicks: Number(r.search_clicks),
    announcementClicks: Number(r.announcement_clicks),
  }));
  await services.interestWriter.add(trx, workspaceId, to, deltas, now);
  await trx.deleteFrom('interest_scores').where('workspace_id', '=', workspaceId).where('viewer', '=', from).execute();
}

// Companies: a membership both had keeps the stronger source (a membership is only ever raised).
async function mergeMemberships(trx: Kysely<Database>, workspaceId: string, fromId: string, toId: string, now: number): Promise<void> {
  const rank = (ref: string) => sql.raw(`case ${ref} when 'trusted' then 3 when 'claimed' then 2 else 1 end`);
  await sql`insert into company_members (workspace_id, company_id, user_id, source, created_at, updated_at)
    select workspace_id, company_id, ${toId}, source, created_at, cast(${now} as bigint) from company_members
    where workspace_id = ${workspaceId} and user_id = ${fromId}
    on conflict (workspace_id, company_id, user_id) do update set
      source = case when ${rank('excluded.source')} > ${rank('company_members.source')} then excluded.source else company_members.source end,
      updated_at = case when ${rank('excluded.source')} > ${rank('company_members.source')} then excluded.updated_at else company_members.updated_at end`.execute(
    trx,
  );
  await trx.deleteFrom('company_members').where('workspace_id', '=', workspaceId).where('user_id', '=', fromId).execute();
}
