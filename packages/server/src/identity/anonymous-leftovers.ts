import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { BatchedQuery, perWorkspace } from '../db/batched-query.js';
import { viewerOf } from './viewer-key.js';

/** Which kinds of activity an anonymous browser left that a link hands over to the user. */
export interface AnonymousLeftovers {
  events: boolean;
  announcementStates: boolean;
  articleSaves: boolean;
  interestScores: boolean;
}

type Key = { workspaceId: string; anonymousId: string };

/**
 * Asks in one statement what an anonymous browser left behind (its events,
 * announcement states, saved articles, interest scores), so that linking it
 * to a user runs only the hand-overs that have something to move. Most
 * first-time identifies come from a browser with a few events and nothing
 * else: one read here instead of one per kind, and in a group transaction
 * one read for all of its identifies (db/batched-query.ts).
 */
export const anonymousLeftovers = new BatchedQuery<Key, AnonymousLeftovers>(
  async (db, key) => (await readLeftovers(db, key.workspaceId, [key]))[0]!,
  (db, keys) => perWorkspace(keys, async (workspaceId, group) => new Map(zip(group, await readLeftovers(db, workspaceId, group)))),
);

async function readLeftovers(db: Kysely<Database>, workspaceId: string, keys: readonly Key[]): Promise<AnonymousLeftovers[]> {
  // An anonymous browser is the same string as an event's person and as a viewer ("a:<anonymousId>").
  const viewers = [...new Set(keys.map((key) => viewerOf({ state: 'anonymous', anonymousId: key.anonymousId })))];
  const list = sql.join(viewers.map((viewer) => sql`(${viewer})`));
  const has = (table: string, column: string) =>
    sql<boolean>`exists (select 1 from ${sql.table(table)} t where t.workspace_id = ${workspaceId} and t.${sql.ref(column)} = v.viewer)`;
  const { rows } = await sql<{ viewer: string; events: unknown; states: unknown; saves: unknown; scores: unknown }>`
    with v(viewer) as (values ${list})
    select v.viewer,
      ${has('events', 'person')} as events,
      ${has('announcement_states', 'viewer')} as states,
      ${has('article_saves', 'viewer')} as saves,
      ${has('interest_scores', 'viewer')} as scores
    from v`.execute(db);
  // SQLite answers 0/1, PostgreSQL booleans.
  const byViewer = new Map(
    rows.map((r) => [
      r.viewer,
      {
        events: Boolean(r.events),
        announcementStates: Boolean(r.states),
        articleSaves: Boolean(r.saves),
        interestScores: Boolean(r.scores),
      },
    ]),
  );
  return keys.map((key) => byViewer.get(viewerOf({ state: 'anonymous', anonymousId: key.anonymousId }))!);
}

function zip<A, B>(as: readonly A[], bs: readonly B[]): Array<[A, B]> {
  return as.map((a, i) => [a, bs[i]!]);
}
