import { sql } from 'kysely';
import type { AppDeps } from '../http/app-deps.js';
import type { Actor, AuditLog } from '../audit/audit-log.js';
import { LumioError } from '../errors/lumio-error.js';
import { dayOf, deleteEvents } from './event-store.js';
import { HOUR_MS } from './reports/report-sql.js';
import { BackgroundTask, type StopSignal } from '../ops/background-task.js';
import type { PostgresEventPartitions } from '../db/dialects/postgres-event-partitions.js';

/** The retention a workspace may choose, in days. */
export const RETENTION_DAYS = { min: 1, max: 3650 } as const;
/** Rows deleted per statement: short transactions, so ingestion (SQLite has one writer) never waits long. */
export const RETENTION_CHUNK = 5_000;

const FIRST_RUN_DELAY_MS = 60_000;
const RUN_INTERVAL_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** A workspace's analytics settings. */
export interface AnalyticsSettings {
  retentionDays: number;
}

/**
 * Deletes each workspace's events older than its retention setting, hourly,
 * with their daily rollup rows. Cut-offs fall on whole UTC days, so the rollup
 * keeps agreeing with the events it counts: an event goes on the first run
 * after the end of the UTC day it becomes older than the retention.
 *
 * Deletes run in chunks of {@link RETENTION_CHUNK} rows, each its own
 * statement, yielding between them. Events are found one event name at a time
 * through the report index (workspace, name, at), rollup rows one day at a
 * time through its primary key. Profile snapshots stay: they are small, shared
 * by events of many days, and finding the unreferenced ones would scan the
 * events; a user's erase deletes theirs.
 *
 * On PostgreSQL (events partitioned by month, migration 0027) each run first
 * keeps the partitions (db/dialects/postgres-event-partitions.ts: next
 * months created ahead, strays moved out of the default partition), then
 * drops the months that end before every workspace's cut-off: a partition
 * holds all workspaces' events, so it goes once the longest retention is past
 * it. What is left before a workspace's cut-off (the month at the boundary,
 * or a workspace with a shorter retention) is deleted row by row as on
 * SQLite, each statement deleting the events' ids (`event_ids`) with them.
 */
export class EventRetention {
  private readonly task: BackgroundTask<{ deleted: number }>;

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'adapter' | 'logger' | 'clock'>,
    private readonly audit: AuditLog,
    private readonly partitions: PostgresEventPartitions | null = null,
  ) {
    this.task = new BackgroundTask(
      { name: 'event retention', firstRunDelayMs: FIRST_RUN_DELAY_MS, intervalMs: RUN_INTERVAL_MS, logger: deps.logger },
      (signal) => this.applyAll(signal),
    );
  }

  /** Runs shortly after start-up, then hourly; the timers never keep the process alive. */
  start(): void {
    this.task.start();
  }

  /** Stops the timers; a run in progress ends after its current step. */
  stop(): void {
    this.task.stop();
  }

  /** Applies every workspace's retention now (or waits for the run in progress); returns how many events went. */
  runOnce(): Promise<{ deleted: number }> {
    return this.task.runOnce();
  }

  /** A workspace's analytics settings. */
  async settings(workspaceId: string): Promise<AnalyticsSettings> {
    const row = await this.deps.db
      .selectFrom('workspaces')
      .select('analytics_retention_days')
      .where('id', '=', workspaceId)
      .executeTakeFirst();
    if (!row) throw new LumioError('not_found', 'No such workspace.');
    return { retentionDays: Number(row.analytics_retention_days) };
  }

  /** Changes how long a workspace's events are kept (audited with the values before and after). */
  async update(workspaceId: string, input: { retentionDays: number }, actor: Actor): Promise<AnalyticsSettings> {
    const days = input.retentionDays;
    if (!Number.isInteger(days) || days < RETENTION_DAYS.min || days > RETENTION_DAYS.max) {
      throw new LumioError(
        'invalid_request',
        `retentionDays must be a whole number of days from ${RETENTION_DAYS.min} to ${RETENTION_DAYS.max}.`,
        { field: 'retentionDays' },
      );
    }
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('workspaces').select('analytics_retention_days').where('id', '=', workspaceId).executeTakeFirst();
      if (!row) throw new LumioError('not_found', 'No such workspace.');
      const before = Number(row.analytics_retention_days);
      if (before === days) return { retentionDays: days };
      await trx.updateTable('workspaces').set({ analytics_retention_days: days }).where('id', '=', workspaceId).execute();
      await this.audit.record(
        workspaceId,
        actor,
        'analytics.settings.update',
        { type: 'workspace', id: workspaceId },
        { before: { retentionDays: before }, after: { retentionDays: days } },
        trx,
      );
      return { retentionDays: days };
    });
  }

  private async applyAll(signal: StopSignal): Promise<{ deleted: number }> {
    const now = this.deps.clock.now();
    const workspaces = await this.deps.db.selectFrom('workspaces').select(['id', 'analytics_retention_days']).orderBy('id').execute();
    const cutoffDays = workspaces.map((w) => dayOf(now - Number(w.analytics_retention_days) * DAY_MS));
    // The longest retention's cut-off: a month's partition holds every workspace's events.
    const keepFrom = cutoffDays.length > 0 ? cutoffDays.reduce((a, b) => Math.min(a, b)) * DAY_MS : Number.NEGATIVE_INFINITY;
    const dropped = await this.dropPartitions(now, keepFrom);
    // Not now: the months a failed drop left would be deleted row by row, which the drop exists to avoid.
    if (!dropped) return { deleted: 0 };
    let deleted = [...dropped.values()].reduce((sum, n) => sum + n, 0);
    for (const [i, workspace] of workspaces.entries()) {
      if (signal.stopped) break;
      const cutoffDay = cutoffDays[i]!;
      const rows = await this.deleteEvents(workspace.id, cutoffDay * DAY_MS, signal);
      await this.deleteDays(workspace.id, cutoffDay, signal);
      const events = rows + (dropped.get(workspace.id) ?? 0);
      if (events > 0) this.deps.logger.info({ workspaceId: workspace.id, events }, 'events past their retention deleted');
      deleted += rows;
    }
    return { deleted };
  }

  /**
   * PostgreSQL: keeps the monthly partitions, and drops those that end at or
   * before `keepFrom` (every workspace's cut-off). Returns the events dropped
   * per workspace, or null when a drop failed (a lock not granted in time):
   * logged, and the run's deletes wait for the next run. A failure to create
   * partitions ahead is only logged (the default partition takes their events).
   */
  private async dropPartitions(now: number, keepFrom: number): Promise<Map<string, number> | null> {
    if (!this.partitions) return new Map();
    try {
      const created = await this.partitions.maintain(now, keepFrom);
      if (created.length > 0) this.deps.logger.info({ partitions: created }, 'event partitions created');
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'event partitions not kept this run; retrying on the next');
    }
    if (keepFrom === Number.NEGATIVE_INFINITY) return new Map();
    try {
      const dropped = await this.partitions.dropBefore(keepFrom);
      if (dropped.partitions.length > 0)
        this.deps.logger.info({ partitions: dropped.partitions }, 'event partitions past retention dropped');
      return dropped.events;
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'event partitions past retention not dropped this run; retention retries on the next');
      return null;
    }
  }

  /** Deletes a workspace's events before `cutoff`, name by name, a chunk at a time. */
  private async deleteEvents(workspaceId: string, cutoff: number, signal: StopSignal): Promise<number> {
    // The distinct names by skipping through the index (one seek each), not by reading every entry.
    const { rows: names } = await sql<{ name: string | null }>`
      WITH RECURSIVE n(name) AS (
        SELECT min(name) FROM events WHERE workspace_id = ${workspaceId}
        UNION ALL
        SELECT (SELECT min(e.name) FROM events e WHERE e.workspace_id = ${workspaceId} AND e.name > n.name) FROM n WHERE n.name IS NOT NULL
      )
      SELECT name FROM n WHERE name IS NOT NULL`.execute(this.deps.db);
    let deleted = 0;
    for (const { name } of names) {
      while (!signal.stopped) {
        const query = this.deps.db
          .deleteFrom('events')
          // Also on the outer delete: on PostgreSQL it leaves out the partitions after the cutoff.
          .where('at', '<', cutoff)
          .where('id', 'in', (eb) =>
            eb
              .selectFrom('events')
              .select('id')
              .where('workspace_id', '=', workspaceId)
              .where('name', '=', name!)
              // The hours before the cutoff (a whole day) lead the index after the name.
              .where(sql<number>`(at / ${sql.lit(HOUR_MS)})`, '<', cutoff / HOUR_MS)
              .where('at', '<', cutoff)
              .limit(RETENTION_CHUNK),
          );
        const count = await deleteEvents(this.deps.db, this.deps.adapter.name, query);
        deleted += count;
        if (count < RETENTION_CHUNK) break;
        await yieldToOthers();
      }
    }
    return deleted;
  }

  /** Deletes a workspace's rollup rows of days before `cutoffDay`, oldest day first, a chunk at a time. */
  private async deleteDays(workspaceId: string, cutoffDay: number, signal: StopSignal): Promise<void> {
    const db = this.deps.db;
    while (!signal.stopped) {
      const oldest = await db
        .selectFrom('event_person_days')
        .select((eb) => eb.fn.min('day').as('day'))
        .where('workspace_id', '=', workspaceId)
        .where('day', '<', cutoffDay)
        .executeTakeFirst();
      if (oldest?.day === null || oldest?.day === undefined) return;
      const day = Number(oldest.day);
      const boundary = await db
        .selectFrom('event_person_days')
        .select('person')
        .where('workspace_id', '=', workspaceId)
        .where('day', '=', day)
        .orderBy('person')
        .offset(RETENTION_CHUNK)
        .limit(1)
        .executeTakeFirst();
      let query = db.deleteFrom('event_person_days').where('workspace_id', '=', workspaceId).where('day', '=', day);
      // Up to and including the boundary person (a person has a few rows a day): always progress.
      if (boundary) query = query.where('person', '<=', boundary.person);
      await query.execute();
      // The series rollup of that day goes with it, whole (a day's rows per name are few beside its events).
      if (!boundary)
        await db
          .deleteFrom('event_daily')
          .where('workspace_id', '=', workspaceId)
          .where('at', '<', (day + 1) * 86_400_000)
          .execute();
      await yieldToOthers();
    }
  }
}

// Lets queued work (an ingestion transaction, a request) run between two chunks.
function yieldToOthers(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
