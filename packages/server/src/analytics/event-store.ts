import { CompiledQuery, sql, type DeleteQueryBuilder, type DeleteResult, type Kysely, type Selectable } from 'kysely';
import type { EventNameView, StoredEvent } from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import type { DialectName } from '../db/dialects/dialect-adapter.js';
import { BatchedQuery, perWorkspace } from '../db/batched-query.js';

/** One event ready to store. */
export interface EventRow {
  workspaceId: string;
  eventId: string;
  widgetId: string;
  name: string;
  at: number;
  /** `u:` + userId, or `a:` + anonymous id (see {@link personOf}). */
  person: string;
  userId: string | null;
  anonymousId: string;
  trust: 'anonymous' | 'identified' | 'verified';
  snapshotId: number;
  object: string | null;
  props: Record<string, unknown> | null;
  /** The company a server API event names (migration 0026); widget events have none. */
  companyId?: string | null;
}

/** Who an event counts for in unique-user figures: the user once known, else the anonymous browser. */
export function personOf(userId: string | null | undefined, anonymousId: string): string {
  return userId ? `u:${userId}` : `a:${anonymousId}`;
}

/** The person of a server API event that names a company and no user (migration 0026). */
export function companyPersonOf(companyId: string): string {
  return `c:${companyId}`;
}

/** The UTC day number (days since 1970-01-01) of an epoch-ms time. */
export function dayOf(at: number): number {
  return Math.floor(at / 86_400_000);
}

const EVENT_COLUMNS = [
  'workspace_id',
  'event_id',
  'widget_id',
  'name',
  'at',
  'person',
  'user_id',
  'anonymous_id',
  'trust',
  'snapshot_id',
  'object',
  'props',
  'received_at',
  'company_id',
] as const;
const DAY_COLUMNS = ['workspace_id', 'day', 'person', 'snapshot_id', 'trust', 'user_id', 'events'] as const;
const DAILY_COLUMNS = ['workspace_id', 'name', 'at', 'snapshot_id', 'trust', 'person', 'events'] as const;
/** Rows per insert statement: 14 columns × 100 stays far below both engines' parameter limits. */
export const INSERT_CHUNK = 100;

/** Events of one person to hand to another (attribution after identify). */
interface AttributionMove {
  workspaceId: string;
  from: string;
  to: string;
  userId: string;
}

async function attributeOne(trx: Kysely<Database>, { workspaceId, from, to, userId }: AttributionMove): Promise<number> {
  const updated = await trx
    .updateTable('events')
    .set({ person: to, user_id: userId })
    .where('workspace_id', '=', workspaceId)
    .where('person', '=', from)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows);
}

/**
 * Runs a delete of events and returns how many went. On PostgreSQL the same
 * statement deletes their ids from `event_ids` (migration 0027), so the ids
 * stored are always the events stored; whatever deletes events goes through
 * here (erase, retention).
 */
export async function deleteEvents(
  db: Kysely<Database>,
  dialect: DialectName,
  events: DeleteQueryBuilder<Database, 'events', DeleteResult>,
): Promise<number> {
  if (dialect !== 'postgres') return Number((await events.executeTakeFirst()).numDeletedRows);
  const { rows } = await sql<{ n: number }>`
    with gone as (${events.returning(['workspace_id', 'event_id'])}),
    ids as (delete from event_ids i using gone where i.workspace_id = gone.workspace_id and i.event_id = gone.event_id)
    select count(*) as n from gone`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Storage of analytics events and the two daily rollups beside them (active
 * persons for demographics; events per name, day, snapshot and person for day
 * and week series).
 * Every write here runs in the caller's transaction, so the rollup always
 * agrees with the events: inserts, attribution after identify, erase. On
 * PostgreSQL the events' ids live in `event_ids` beside them (the events are
 * partitioned by month: migration 0027), inserted and deleted with them.
 */
export class EventStore {
  // Multi-row statements by row count: building a 1,300-value query tree per
  // batch through the query builder cost more than the insert itself.
  private readonly statements = new Map<string, string>();

  constructor(private readonly deps: Pick<AppDeps, 'adapter' | 'clock'>) {}

  /**
   * Inserts events, skipping any whose (workspace, event id) is stored
   * already (a retried batch), and counts the inserted ones in the rollup.
   * Returns the ids actually inserted.
   */
  async insert(trx: Kysely<Database>, rows: readonly EventRow[], receivedAt: number): Promise<Set<string>> {
    const inserted = new Set<string>();
    const days = new Map<string, { row: EventRow; day: number; events: number }>();
    const daily = new Map<string, { row: EventRow; day: number; events: number }>();
    const count = (r: EventRow) => {
      inserted.add(r.eventId);
      const day = dayOf(r.at);
      const dayKey = `${r.workspaceId}\u0000${day}\u0000${r.person}\u0000${r.snapshotId}\u0000${r.trust}`;
      const d = days.get(dayKey);
      if (d) d.events++;
      else days.set(dayKey, { row: r, day, events: 1 });
      const dailyKey = `${dayKey}\u0000${r.name}`;
      const n = daily.get(dailyKey);
      if (n) n.events++;
      else daily.set(dailyKey, { row: r, day, events: 1 });
    };
    const runEach = this.deps.adapter.runEach;
    if (runEach) {
      // SQLite: one prepared single-row insert per event, run synchronously in this transaction.
      const changed = runEach(
        this.statement('event', 1),
        rows.map((r) => eventParams(r, receivedAt)),
      );
      rows.forEach((r, i) => changed[i] === 1 && count(r));
    } else {
      // PostgreSQL: the same id twice in a batch has one `event_ids` row, which both would match, so
      // the first of each id goes, as on SQLite.
      const seen = new Set<string>();
      const unique = rows.filter((r) => {
        const key = `${r.workspaceId}\u0000${r.eventId}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      for (let i = 0; i < unique.length; i += INSERT_CHUNK) {
        const chunk = unique.slice(i, i + INSERT_CHUNK);
        // The ids first, then only the events whose id was new: two plain multi-row inserts cost
        // PostgreSQL less than one statement joining the two (bench/analytics/README.md). A
        // concurrent insert of the same id waits for the first's transaction, then skips it.
        const result = await trx.executeQuery<{ event_id: string; workspace_id: string }>(
          CompiledQuery.raw(
            this.statement('ids', chunk.length),
            chunk.flatMap((r) => [r.workspaceId, r.eventId]),
          ),
        );
        const ids = new Set(result.rows.map((r) => `${r.workspace_id}\u0000${r.event_id}`));
        const fresh = ids.size === chunk.length ? chunk : chunk.filter((r) => ids.has(`${r.workspaceId}\u0000${r.eventId}`));
        if (fresh.length === 0) continue;
        await trx.executeQuery(
          CompiledQuery.raw(
            this.statement('events', fresh.length),
            fresh.flatMap((r) => eventParams(r, receivedAt)),
          ),
        );
        for (const r of fresh) count(r);
      }
    }
    const dayRows = [...days.values()];
    for (let i = 0; i < dayRows.length; i += INSERT_CHUNK) {
      const chunk = dayRows.slice(i, i + INSERT_CHUNK);
      const params: unknown[] = [];
      for (const { row, day, events } of chunk)
        params.push(row.workspaceId, day, row.person, row.snapshotId, row.trust, row.userId, events);
      await trx.executeQuery(CompiledQuery.raw(this.statement('days', chunk.length), params));
    }
    const dailyRows = [...daily.values()];
    for (let i = 0; i < dailyRows.length; i += INSERT_CHUNK) {
      const chunk = dailyRows.slice(i, i + INSERT_CHUNK);
      const params: unknown[] = [];
      for (const { row, day, events } of chunk)
        params.push(row.workspaceId, row.name, day * 86_400_000, row.snapshotId, row.trust, row.person, events);
      await trx.executeQuery(CompiledQuery.raw(this.statement('daily', chunk.length), params));
    }
    return inserted;
  }

  /**
   * Attributes what an anonymous browser did to the user it identified as
   * (DESIGN.md): its events and rollup rows take the user's person key. Each
   * keeps the trust it was recorded with (`anonymous`) and its snapshot ("no
   * profile"): attribution says whose the activity is, not that it was done
   * verified, so an identify that failed before a later verified one never
   * shows as a verified action of that user.
   */
  async attribute(trx: Kysely<Database>, workspaceId: string, anonymousId: string, userId: string): Promise<number> {
    const from = personOf(null, anonymousId);
    const to = personOf(userId, anonymousId);
    const moved = await this.attributing.run(trx, { workspaceId, from, to, userId });
    if (moved === 0) return 0;
    await this.moveDays(trx, workspaceId, from, to, userId);
    return moved;
  }

  // The events of many browsers identified in one group transaction move in one statement on PostgreSQL.
  private readonly attributing = new BatchedQuery<AttributionMove, number>(
    attributeOne,
    async (trx, moves) => {
      if (this.deps.adapter.name !== 'postgres') {
        const counts: number[] = [];
        for (const move of moves) counts.push(await attributeOne(trx, move));
        return counts;
      }
      return perWorkspace(moves, async (workspaceId, group) => {
        // One update joined to the list of moves, answering the person each moved event came from.
        const { rows } = await sql<{ person_from: string; moved: string }>`
        with moved as (
          update events set person = m.person_to, user_id = m.user_id
          from unnest(${group.map((k) => k.from)}::text[], ${group.map((k) => k.to)}::text[], ${group.map((k) => k.userId)}::text[])
            as m(person_from, person_to, user_id)
          where events.workspace_id = ${workspaceId} and events.person = m.person_from
          returning m.person_from
        )
        select person_from, count(*) as moved from moved group by person_from`.execute(trx);
        const counts = new Map(rows.map((r) => [r.person_from, Number(r.moved)]));
        return new Map(group.map((k) => [k, counts.get(k.from) ?? 0]));
      });
    },
    'write',
  );

  /**
   * Hands the events a browser recorded while anonymous from an unverified
   * claimant to the user a verified identify proved (the link was handed
   * over); like {@link attribute}, each keeps the trust it was recorded with.
   */
  async reattribute(trx: Kysely<Database>, workspaceId: string, anonymousId: string, fromUserId: string, toUserId: string): Promise<void> {
    const from = personOf(fromUserId, anonymousId);
    const to = personOf(toUserId, anonymousId);
    const updated = await trx
      .updateTable('events')
      .set({ person: to, user_id: toUserId })
      .where('workspace_id', '=', workspaceId)
      .where('person', '=', from)
      .where('anonymous_id', '=', anonymousId)
      .where('snapshot_id', '=', 0)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return;
    // The rollup has no anonymous id: rebuild both persons' rows from their events.
    for (const person of [from, to]) await this.rebuildDays(trx, workspaceId, person);
  }

  /**
   * Hands every event of one user to another (users/user-merge.ts): the
   * events, their rollup rows and their profile snapshots take the survivor's
   * ids, so reports count the merged person once. Each event keeps its trust
   * and snapshot (what the profile was then). Returns how many events moved.
   */
  async mergeUser(trx: Kysely<Database>, workspaceId: string, fromUserId: string, toUserId: string): Promise<number> {
    const from = personOf(fromUserId, '');
    const to = personOf(toUserId, '');
    const updated = await trx
      .updateTable('events')
      .set({ person: to, user_id: toUserId })
      .where('workspace_id', '=', workspaceId)
      .where('person', '=', from)
      .executeTakeFirst();
    await this.moveDays(trx, workspaceId, from, to, toUserId);
    // So that erasing the survivor erases these too.
    await trx
      .updateTable('event_snapshots')
      .set({ user_id: toUserId })
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', fromUserId)
      .execute();
    return Number(updated.numUpdatedRows);
  }

  /** Deletes a user's events and rollup rows (erase). Returns how many events went. */
  async eraseUser(trx: Kysely<Database>, workspaceId: string, userId: string): Promise<number> {
    const person = personOf(userId, '');
    const deleted = await this.deletePerson(trx, workspaceId, person);
    await trx.deleteFrom('event_person_days').where('workspace_id', '=', workspaceId).where('person', '=', person).execute();
    await trx.deleteFrom('event_daily').where('workspace_id', '=', workspaceId).where('person', '=', person).execute();
    await trx.deleteFrom('event_snapshots').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).execute();
    return deleted;
  }

  /**
   * A company erasure's part of the events: the company's own events (person
   * `c:<id>`, no user) and their rollup rows are deleted; users' events that
   * named the company stay theirs but forget it (`company_id` set to null).
   */
  async eraseCompany(trx: Kysely<Database>, workspaceId: string, companyId: string): Promise<{ deleted: number; detached: number }> {
    const person = companyPersonOf(companyId);
    const deleted = await this.deletePerson(trx, workspaceId, person);
    await trx.deleteFrom('event_person_days').where('workspace_id', '=', workspaceId).where('person', '=', person).execute();
    await trx.deleteFrom('event_daily').where('workspace_id', '=', workspaceId).where('person', '=', person).execute();
    const detached = await trx
      .updateTable('events')
      .set({ company_id: null })
      .where('workspace_id', '=', workspaceId)
      .where('company_id', '=', companyId)
      .executeTakeFirst();
    return { deleted, detached: Number(detached.numUpdatedRows) };
  }

  /**
   * The event names a workspace has stored, by name, each with the newest day
   * it was seen on: what the dashboard's event picker offers.
   *
   * A loose index scan over the daily rollup's key (workspace, name, day, …):
   * one index seek per name, so the cost follows the number of names, not of
   * events (a plain `distinct` read every rollup row of the workspace).
   */
  async names(workspaceId: string, limit: number): Promise<EventNameView[]> {
    const rows = await sql<{ name: string; last_day: number | string }>`
      with recursive names (name, n) as (
        select (select name from event_daily where workspace_id = ${workspaceId} order by name limit 1), 1
        union all
        select (select d.name from event_daily d where d.workspace_id = ${workspaceId} and d.name > names.name order by d.name limit 1), n + 1
        from names where names.name is not null and n < ${limit}
      )
      select name, (select d.at from event_daily d where d.workspace_id = ${workspaceId} and d.name = names.name order by d.at desc limit 1) as last_day
      from names where name is not null`.execute(this.deps.adapter.reportDb);
    return rows.rows.map((r) => ({ name: r.name, lastDay: Number(r.last_day) }));
  }

  /** A person's newest events, newest first. */
  async recent(workspaceId: string, person: string, limit: number, before?: number): Promise<StoredEvent[]> {
    let query = this.deps.adapter.db
      .selectFrom('events')
      .select(['event_id', 'widget_id', 'name', 'at', 'user_id', 'anonymous_id', 'trust', 'object', 'props'])
      .where('workspace_id', '=', workspaceId)
      .where('person', '=', person);
    if (before !== undefined) query = query.where('at', '<', before);
    return storedEvents(await query.orderBy('at', 'desc').limit(limit).execute());
  }

  /**
   * The newest events that name a company themselves (server-side events:
   * the company's own and users' naming it), newest first; read by the
   * partial index on company events (migration 0026).
   */
  async recentOfCompany(workspaceId: string, companyId: string, limit: number): Promise<StoredEvent[]> {
    const rows = await this.deps.adapter.db
      .selectFrom('events')
      .select(['event_id', 'widget_id', 'name', 'at', 'user_id', 'anonymous_id', 'trust', 'object', 'props'])
      .where('workspace_id', '=', workspaceId)
      .where('company_id', '=', companyId)
      .orderBy('at', 'desc')
      .limit(limit)
      .execute();
    return storedEvents(rows);
  }

  /**
   * Deletes a person's events; on PostgreSQL their ids in `event_ids` with
   * them (migration 0027), so the ids stored are always the events stored,
   * as on SQLite, where the id is the events table's own unique key.
   */
  private async deletePerson(trx: Kysely<Database>, workspaceId: string, person: string): Promise<number> {
    const events = trx.deleteFrom('events').where('workspace_id', '=', workspaceId).where('person', '=', person);
    return deleteEvents(trx, this.deps.adapter.name, events);
  }

  private async moveDays(trx: Kysely<Database>, workspaceId: string, from: string, to: string, userId: string): Promise<void> {
    // INSERT … SELECT … ON CONFLICT: SQLite needs the WHERE to tell the upsert from a join's ON.
    await sql`insert into event_person_days (workspace_id, day, person, snapshot_id, trust, user_id, events)
      select workspace_id, day, ${to}, snapshot_id, trust, ${userId}, events from event_person_days
      where workspace_id = ${workspaceId} and person = ${from}
      on conflict (workspace_id, day, person, snapshot_id, trust) do update set events = event_person_days.events + excluded.events`.execute(
      trx,
    );
    await trx.deleteFrom('event_person_days').where('workspace_id', '=', workspaceId).where('person', '=', from).execute();
    await sql`insert into event_daily (workspace_id, name, at, snapshot_id, trust, person, events)
      select workspace_id, name, at, snapshot_id, trust, ${to}, events from event_daily
      where workspace_id = ${workspaceId} and person = ${from}
      on conflict (workspace_id, name, at, snapshot_id, trust, person) do update set events = event_daily.events + excluded.events`.execute(
      trx,
    );
    await trx.deleteFrom('event_daily').where('workspace_id', '=', workspaceId).where('person', '=', from).execute();
  }

  private async rebuildDays(trx: Kysely<Database>, workspaceId: string, person: string): Promise<void> {
    await trx.deleteFrom('event_person_days').where('workspace_id', '=', workspaceId).where('person', '=', person).execute();
    await sql`insert into event_person_days (workspace_id, day, person, snapshot_id, trust, user_id, events)
      select workspace_id, at / 86400000, person, snapshot_id, trust, max(user_id), count(*) from events
      where workspace_id = ${workspaceId} and person = ${person}
      group by workspace_id, at / 86400000, person, snapshot_id, trust`.execute(trx);
    await trx.deleteFrom('event_daily').where('workspace_id', '=', workspaceId).where('person', '=', person).execute();
    await sql`insert into event_daily (workspace_id, name, at, snapshot_id, trust, person, events)
      select workspace_id, name, at / 86400000 * 86400000, snapshot_id, trust, person, count(*) from events
      where workspace_id = ${workspaceId} and person = ${person}
      group by workspace_id, name, at / 86400000 * 86400000, snapshot_id, trust, person`.execute(trx);
  }

  private statement(kind: 'event' | 'events' | 'ids' | 'days' | 'daily', count: number): string {
    const key = `${kind}:${count}`;
    let text = this.statements.get(key);
    if (!text) {
      const dialect = this.deps.adapter.name;
      text =
        kind === 'event'
          ? eventsInsert(dialect, 1, false)
          : kind === 'events'
            ? eventsInsert(dialect, count, true)
            : kind === 'ids'
              ? idsInsert(count)
              : kind === 'days'
                ? daysUpsert(dialect, count)
                : dailyUpsert(dialect, count);
      this.statements.set(key, text);
    }
    return text;
  }
}

function eventParams(r: EventRow, receivedAt: number): unknown[] {
  return [
    r.workspaceId,
    r.eventId,
    r.widgetId,
    r.name,
    r.at,
    r.person,
    r.userId,
    r.anonymousId,
    r.trust,
    r.snapshotId,
    r.object,
    r.props && Object.keys(r.props).length > 0 ? JSON.stringify(r.props) : null,
    receivedAt,
    r.companyId ?? null,
  ];
}

function placeholders(dialect: DialectName, rows: number, columns: number): string {
  let n = 0;
  const row = () => `(${Array.from({ length: columns }, () => (dialect === 'postgres' ? `$${++n}` : '?')).join(', ')})`;
  return Array.from({ length: rows }, row).join(', ');
}

function eventsInsert(dialect: DialectName, rows: number, returning: boolean): string {
  const insert = `insert into events (${EVENT_COLUMNS.join(', ')}) values ${placeholders(dialect, rows, EVENT_COLUMNS.length)}`;
  // PostgreSQL: `events` is partitioned by time (migration 0027) and cannot hold (workspace, event
  // id) unique; the ids are kept in `event_ids`, inserted first (idsInsert).
  if (dialect === 'postgres') return insert;
  return `${insert} on conflict (workspace_id, event_id) do nothing${returning ? ' returning workspace_id, event_id' : ''}`;
}

function idsInsert(rows: number): string {
  return (
    `insert into event_ids (workspace_id, event_id) values ${placeholders('postgres', rows, 2)} ` +
    `on conflict (workspace_id, event_id) do nothing returning workspace_id, event_id`
  );
}

function daysUpsert(dialect: DialectName, rows: number): string {
  return (
    `insert into event_person_days (${DAY_COLUMNS.join(', ')}) values ${placeholders(dialect, rows, DAY_COLUMNS.length)} ` +
    `on conflict (workspace_id, day, person, snapshot_id, trust) do update set events = event_person_days.events + excluded.events`
  );
}

function dailyUpsert(dialect: DialectName, rows: number): string {
  return (
    `insert into event_daily (${DAILY_COLUMNS.join(', ')}) values ${placeholders(dialect, rows, DAILY_COLUMNS.length)} ` +
    `on conflict (workspace_id, name, at, snapshot_id, trust, person) do update set events = event_daily.events + excluded.events`
  );
}

type StoredEventRow = Pick<
  Selectable<Database['events']>,
  'event_id' | 'widget_id' | 'name' | 'at' | 'user_id' | 'anonymous_id' | 'trust' | 'object' | 'props'
>;

/** Stored event rows as the readers see them. */
function storedEvents(rows: StoredEventRow[]): StoredEvent[] {
  return rows.map((r) => ({
    eventId: r.event_id,
    widgetId: r.widget_id,
    name: r.name,
    at: Number(r.at),
    userId: r.user_id,
    anonymousId: r.anonymous_id,
    trust: r.trust,
    object: r.object,
    props: (typeof r.props === 'string' ? JSON.parse(r.props) : (r.props ?? {})) as Record<string, unknown>,
  }));
}
