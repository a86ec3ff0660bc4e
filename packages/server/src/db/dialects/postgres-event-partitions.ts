import { sql, type Kysely, type QueryExecutorProvider } from 'kysely';
import type { Database } from '../schema.js';

/** The partition that takes events of a month without a partition of its own, so an insert never fails. */
export const DEFAULT_PARTITION = 'events_default';

/** One monthly partition of `events`: its table and its bounds (epoch ms, `from` included, `to` excluded). */
export interface EventPartition {
  name: string;
  from: number;
  to: number;
}

/** What dropping partitions past retention removed: the tables, and their events per workspace. */
export interface DroppedPartitions {
  partitions: string[];
  events: Map<string, number>;
}

// The events table's columns in order (migrations 0006 and 0026), for moving rows between partitions.
// NOTE: keep in sync with the `events` columns (db/schema.ts) when a migration adds one.
const COLUMNS = sql.raw(
  'id, workspace_id, event_id, widget_id, name, at, person, user_id, anonymous_id, trust, snapshot_id, object, props, received_at, company_id',
);

// Reports read through index-only scans, so autovacuum keeps each partition's visibility map
// current sooner than its defaults would (as migration 0006 did for the single table; a
// partitioned parent takes no storage parameters, each partition takes its own).
const STORAGE = sql.raw('autovacuum_vacuum_insert_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.02');

// DDL on a partition takes a lock on `events` itself: waiting behind a long report would queue
// every insert and report behind the DDL. Past this, give up and try again on the next run.
const LOCK_TIMEOUT = sql.raw(`'3s'`);

// Widget events may be up to 72 hours old (EventLimits.maxAgeMs): the month that started before them needs its partition too.
const PAST_WINDOW_MS = 72 * 3_600_000;
// Ids deleted per statement when a month is dropped: short statements beside ingestion.
const ID_CHUNK = 5_000;
/** Months ahead of the current one that get their partition in advance. */
export const MONTHS_AHEAD = 2;

/** The start (epoch ms) of the UTC calendar month holding `at`. */
export function monthOf(at: number): number {
  const d = new Date(at);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** The start of the month `n` months after the one starting at `month`. */
export function addMonths(month: number, n: number): number {
  const d = new Date(month);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1);
}

/** The table of the month starting at `month`: `events_2026_11`. */
export function partitionName(month: number): string {
  const d = new Date(month);
  return `events_${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * Creates the partition of the month starting at `month` (none of its rows
 * may sit in the default partition: PostgreSQL checks). Used by migration
 * 0027 and by {@link PostgresEventPartitions}.
 */
export async function createMonthPartition(db: QueryExecutorProvider, month: number): Promise<void> {
  await sql`create table if not exists ${sql.id(partitionName(month))} partition of events
    for values from (${sql.lit(month)}) to (${sql.lit(addMonths(month, 1))}) with (${STORAGE})`.execute(db);
}

/** Creates the default partition (migration 0027). */
export async function createDefaultPartition(db: QueryExecutorProvider): Promise<void> {
  await sql`create table if not exists ${sql.id(DEFAULT_PARTITION)} partition of events default with (${STORAGE})`.execute(db);
}

/**
 * PostgreSQL's `events` is partitioned by RANGE on `at`, one partition per
 * UTC calendar month (migration 0027), with a default partition beside them.
 * This keeps the partitions: it creates each month's ahead of time (the month
 * of 72 hours ago through {@link MONTHS_AHEAD} months ahead), moves any month
 * that reached the default partition (a server event backdated to a month
 * without one) into a partition of its own, and drops the months every
 * workspace's retention is past.
 *
 * Inserts never create partitions (DDL on the ingestion path would take a
 * lock on `events` per batch); the default partition takes what has none
 * until the next run. Every change is a short transaction of its own, under
 * an advisory lock so two server processes never create one month twice,
 * and with a lock timeout so it never queues ingestion behind a long report.
 */
export class PostgresEventPartitions {
  constructor(private readonly db: Kysely<Database>) {}

  /** The monthly partitions, oldest first (not the default partition). */
  async list(): Promise<EventPartition[]> {
    const { rows } = await sql<{ name: string; bound: string }>`
      select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
      from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = to_regclass('events')`.execute(this.db);
    const partitions: EventPartition[] = [];
    for (const row of rows) {
      const bounds = /FROM \('?(-?\d+)'?\) TO \('?(-?\d+)'?\)/.exec(row.bound);
      if (bounds) partitions.push({ name: row.name, from: Number(bounds[1]), to: Number(bounds[2]) });
    }
    return partitions.sort((a, b) => a.from - b.from);
  }

  /**
   * Makes sure the months that may receive events now have their partitions,
   * and that months in the default partition get theirs; months that end at
   * or before `keepFrom` (past every workspace's retention) are left alone.
   * Returns the partitions created.
   */
  async maintain(now: number, keepFrom = Number.NEGATIVE_INFINITY): Promise<string[]> {
    const created = await this.ensure(Math.max(now - PAST_WINDOW_MS, keepFrom), addMonths(monthOf(now), MONTHS_AHEAD));
    // The months of what reached the default partition. It holds few rows (a backdated server event, a
    // month created late), so reading it whole is cheap.
    const { rows } = await sql<{ month: number }>`
      select distinct (extract(epoch from date_trunc('month', to_timestamp(at / 1000.0) at time zone 'UTC')) * 1000)::bigint as month
      from ${sql.id(DEFAULT_PARTITION)}`.execute(this.db);
    for (const { month } of rows.sort((a, b) => a.month - b.month)) {
      if (addMonths(Number(month), 1) <= keepFrom) continue;
      if (await this.createMonth(Number(month))) created.push(partitionName(Number(month)));
    }
    return created;
  }

  /** Creates the partitions of the months from the one holding `from` through the one holding `to`; returns those created. */
  async ensure(from: number, to: number): Promise<string[]> {
    const have = new Set((await this.list()).map((p) => p.from));
    const created: string[] = [];
    for (let month = monthOf(from); month <= to; month = addMonths(month, 1)) {
      if (!have.has(month) && (await this.createMonth(month))) created.push(partitionName(month));
    }
    return created;
  }

  /**
   * Drops the monthly partitions that end at or before `cutoff`, counting
   * their events per workspace first (the count is of the rows there just
   * before the drop). The default partition is never dropped: retention
   * deletes its old rows one by one.
   */
  async dropBefore(cutoff: number): Promise<DroppedPartitions> {
    const dropped: DroppedPartitions = { partitions: [], events: new Map() };
    for (const partition of await this.list()) {
      if (partition.to > cutoff) break;
      // Outside the drop's transaction, which would otherwise hold its lock on `events` for all of
      // them. A backdated event that reaches the month meanwhile leaves an id without its event: a
      // resend of an id past every retention is refused, which is no loss.
      await this.deleteIdsOf(partition.name);
      const counts = await this.db.transaction().execute(async (trx) => {
        await sql`set local lock_timeout = ${LOCK_TIMEOUT}`.execute(trx);
        const { rows } = await sql<{ workspace_id: string; n: number }>`
          select workspace_id, count(*) as n from ${sql.id(partition.name)} group by workspace_id`.execute(trx);
        // Dropping a partition drops its indexes with it: no row-by-row delete, nothing left for vacuum.
        await sql`alter table events detach partition ${sql.id(partition.name)}`.execute(trx);
        await sql`drop table ${sql.id(partition.name)}`.execute(trx);
        return rows;
      });
      dropped.partitions.push(partition.name);
      for (const { workspace_id, n } of counts) dropped.events.set(workspace_id, (dropped.events.get(workspace_id) ?? 0) + Number(n));
    }
    return dropped;
  }

  /**
   * Deletes the ids (`event_ids`) of a partition's events, a chunk at a time
   * in the partition's id order (each id through `event_ids`' primary key),
   * before the partition is dropped: the idempotency key holds exactly the
   * stored events' ids. Returns how many went.
   */
  async deleteIdsOf(partition: string, chunk = ID_CHUNK): Promise<number> {
    let after = 0;
    let deleted = 0;
    for (;;) {
      const { rows } = await sql<{ last: string | null; n: number; gone: number }>`
        with batch as (select id, workspace_id, event_id from ${sql.id(partition)} where id > ${after} order by id limit ${chunk}),
        gone as (delete from event_ids i using batch b where i.workspace_id = b.workspace_id and i.event_id = b.event_id returning 1)
        select (select max(id) from batch) as last, (select count(*) from batch) as n, (select count(*) from gone) as gone`.execute(
        this.db,
      );
      deleted += Number(rows[0]?.gone ?? 0);
      // A full chunk has a last id; a shorter one was the partition's end.
      if (Number(rows[0]?.n ?? 0) < chunk) return deleted;
      after = Number(rows[0]!.last);
    }
  }

  /**
   * Creates the month's partition unless it exists, moving that month's rows
   * out of the default partition first (PostgreSQL refuses a new partition
   * while the default one holds rows of its range). Returns whether it
   * created the partition.
   */
  private createMonth(month: number): Promise<boolean> {
    const name = partitionName(month);
    const to = addMonths(month, 1);
    return this.db.transaction().execute(async (trx) => {
      await sql`set local lock_timeout = ${LOCK_TIMEOUT}`.execute(trx);
      // Per schema: staging beside production, or the test suites' schemas, each keep their own.
      await sql`select pg_advisory_xact_lock(hashtext(current_schema() || '.events partitions'))`.execute(trx);
      const { rows } = await sql<{ exists: boolean }>`select to_regclass(${name}) is not null as exists`.execute(trx);
      if (rows[0]?.exists) return false;
      const { rows: moving } = await sql<{ any: boolean }>`
        select exists (select 1 from ${sql.id(DEFAULT_PARTITION)} where at >= ${month} and at < ${to}) as any`.execute(trx);
      if (moving[0]?.any) {
        await sql`create temporary table events_moving (like events) on commit drop`.execute(trx);
        await sql`with moved as (delete from ${sql.id(DEFAULT_PARTITION)} where at >= ${month} and at < ${to} returning ${COLUMNS})
          insert into events_moving (${COLUMNS}) select ${COLUMNS} from moved`.execute(trx);
      }
      await createMonthPartition(trx, month);
      if (moving[0]?.any) {
        await sql`insert into events (${COLUMNS}) overriding system value select ${COLUMNS} from events_moving`.execute(trx);
      }
      return true;
    });
  }
}
