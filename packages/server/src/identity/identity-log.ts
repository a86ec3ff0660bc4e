import { LRUCache } from 'lru-cache';
import type { IdentifyOutcome, IdentityLogView } from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import { prepareQuery, type PreparedQuery } from '../db/prepared-query.js';

/** One identify outcome to record: what the log later shows (but its id), of a widget, at a time. */
export interface IdentityLogEntry extends Omit<IdentityLogView, 'id' | 'createdAt'> {
  workspaceId: string;
  widgetId: string;
  at: number;
}

/** Hourly counts of outcomes and reasons, kept beyond the raw log. */
export interface IdentityStatsRow {
  hour: number;
  outcome: string;
  reason: string;
  count: number;
}

/**
 * The most an entry waits in memory before its batch is written: the bound on
 * what a crash (kill -9, power loss) can lose, with the one batch being
 * written at that moment. Stated in docs/identify.md; tested.
 */
export const IDENTITY_LOG_FLUSH_INTERVAL_MS = 250;
const INSERT_CHUNK = 100;
const LOG_COLUMNS = [
  'workspace_id',
  'widget_id',
  'created_at',
  'outcome',
  'reason',
  'diagnosis',
  'user_id',
  'anonymous_id',
  'key_id',
  'ip',
] as const;
type LogColumn = (typeof LOG_COLUMNS)[number];
const MAX_BUFFER = 2000;
const PRUNE_EVERY = 200;
/** A success repeated by the same session within this window is counted, not logged again. */
export const REPEAT_SUCCESS_WINDOW_MS = 10 * 60_000;
const REMEMBERED_SUCCESSES = 50_000;

type HourlyCount = { workspaceId: string; widgetId: string; hour: number; outcome: string; reason: string; count: number };

/**
 * The identity log of each widget: hourly counts of every outcome and reason
 * (the verified rate over time), and raw entries for diagnosis, bounded per
 * widget with failures and successes bounded apart, so a busy widget's
 * successes never push out the failures a team is looking for.
 *
 * A signed-in user identifies on every page load: logging each of those would
 * fill the raw log with one repeated line. A success is logged raw once per
 * session (anonymous id, user, outcome, key) per ten minutes; every one is
 * counted. Failures are always logged raw.
 *
 * Entries are diagnostics, not user data, so they are buffered and written in
 * batches off the request path: an entry is written at most
 * {@link IDENTITY_LOG_FLUSH_INTERVAL_MS} after it is recorded, which bounds
 * what a crash loses (entries of the last quarter second, and the batch being
 * written); user writes never wait for them.
 */
export class IdentityLog {
  private buffer: IdentityLogEntry[] = [];
  private counts = new Map<string, HourlyCount>();
  private readonly recentSuccesses = new LRUCache<string, number>({ max: REMEMBERED_SUCCESSES });
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly writesSincePrune = new Map<string, { workspaceId: string; count: number }>();
  // Multi-row inserts compiled once per row count: building a 1,000-value
  // query tree on every flush cost more than the insert itself.
  private readonly inserts = new Map<number, PreparedQuery<string, unknown>>();

  constructor(private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'logger' | 'config' | 'storageHealth'>) {}

  /** Counts an outcome and queues its raw entry (unless it repeats a recent success) for the next batch. */
  record(entry: IdentityLogEntry): void {
    this.count(entry);
    if (entry.outcome === 'failed' || !this.repeatsRecentSuccess(entry)) this.buffer.push(entry);
    if (this.buffer.length >= MAX_BUFFER) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), IDENTITY_LOG_FLUSH_INTERVAL_MS);
  }

  private count(e: IdentityLogEntry): void {
    const hour = Math.floor(e.at / 3600_000) * 3600_000;
    const key = `${e.widgetId}\u0000${hour}\u0000${e.outcome}\u0000${e.reason}`;
    const c = this.counts.get(key);
    if (c) c.count++;
    else this.counts.set(key, { workspaceId: e.workspaceId, widgetId: e.widgetId, hour, outcome: e.outcome, reason: e.reason, count: 1 });
  }

  private repeatsRecentSuccess(e: IdentityLogEntry): boolean {
    const key = `${e.widgetId}\u0000${e.anonymousId}\u0000${e.userId}\u0000${e.outcome}\u0000${e.keyId}`;
    const last = this.recentSuccesses.get(key);
    if (last !== undefined && e.at - last < REPEAT_SUCCESS_WINDOW_MS) return true;
    this.recentSuccesses.set(key, e.at);
    return false;
  }

  /** Writes everything buffered; called on a timer and at shutdown. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0 && this.counts.size === 0) return;
    const batch = this.buffer;
    const counts = this.counts;
    this.buffer = [];
    this.counts = new Map();
    this.flushing = this.write(batch, counts).catch((error: unknown) => {
      // A full disk fails every flush: the storage health logs that once per interval.
      if (!this.deps.storageHealth.recordIfFault(error, { writer: 'identity log' }))
        this.deps.logger.error({ err: error }, 'identity log flush failed');
    });
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
    }
  }

  private async write(batch: IdentityLogEntry[], counts: Map<string, HourlyCount>): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      for (let i = 0; i < batch.length; i += INSERT_CHUNK) {
        const chunk = batch.slice(i, i + INSERT_CHUNK);
        const values: Record<string, unknown> = {};
        chunk.forEach((e, row) => {
          const entry = toRow(e);
          for (const column of LOG_COLUMNS) values[`${column}:${row}`] = entry[column];
        });
        await this.insertRows(chunk.length).run(trx, values);
      }
      for (const c of counts.values()) {
        await trx
          .insertInto('identity_stats')
          .values({
            workspace_id: c.workspaceId,
            widget_id: c.widgetId,
            hour: c.hour,
            outcome: c.outcome,
            reason: c.reason,
            count: c.count,
          })
          .onConflict((oc) =>
            oc
              .columns(['widget_id', 'hour', 'outcome', 'reason'])
              .doUpdateSet((eb) => ({ count: eb('identity_stats.count', '+', c.count) })),
          )
          .execute();
      }
    });
    for (const e of batch) {
      const w = this.writesSincePrune.get(e.widgetId) ?? { workspaceId: e.workspaceId, count: 0 };
      w.count++;
      this.writesSincePrune.set(e.widgetId, w);
    }
    for (const [widgetId, w] of this.writesSincePrune) {
      if (w.count >= PRUNE_EVERY) {
        this.writesSincePrune.delete(widgetId);
        await this.prune(w.workspaceId, widgetId);
      }
    }
  }

  private insertRows(count: number): PreparedQuery<string, unknown> {
    let prepared = this.inserts.get(count);
    if (!prepared) {
      const names = Array.from({ length: count }, (_, row) => LOG_COLUMNS.map((column) => `${column}:${row}`)).flat();
      const db = this.deps.db;
      prepared = prepareQuery(
        db,
        (p) =>
          db
            .insertInto('identity_log')
            .values(
              Array.from(
                { length: count },
                (_, row) => Object.fromEntries(LOG_COLUMNS.map((column) => [column, p[`${column}:${row}`]])) as never,
              ),
            ),
        names,
      );
      this.inserts.set(count, prepared);
    }
    return prepared;
  }

  /** Keeps only the newest failures and the newest successes of a widget (LUMIO_IDENTITY_LOG_MAX each). */
  async prune(workspaceId: string, widgetId: string): Promise<void> {
    for (const failures of [true, false]) {
      const boundary = await this.deps.db
        .selectFrom('identity_log')
        .select('id')
        .where('widget_id', '=', widgetId)
        .where('workspace_id', '=', workspaceId)
        .where('outcome', failures ? '=' : '<>', 'failed')
        .orderBy('id', 'desc')
        .offset(this.deps.config.identityLogMaxEntriesPerWidget)
        .limit(1)
        .executeTakeFirst();
      if (!boundary) continue;
      await this.deps.db
        .deleteFrom('identity_log')
        .where('widget_id', '=', widgetId)
        .where('workspace_id', '=', workspaceId)
        .where('outcome', failures ? '=' : '<>', 'failed')
        .where('id', '<=', boundary.id)
        .execute();
    }
  }

  /** The newest raw entries of a widget (owner/admin only). */
  async list(workspaceId: string, widgetId: string, options: { limit: number; outcome?: string | undefined }): Promise<IdentityLogView[]> {
    await this.flush();
    let query = this.deps.db
      .selectFrom('identity_log')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('widget_id', '=', widgetId);
    if (options.outcome) query = query.where('outcome', '=', options.outcome);
    const rows = await query.orderBy('id', 'desc').limit(options.limit).execute();
    return rows.map((r) => ({
      id: Number(r.id),
      // Written from IdentityLogEntry.outcome only.
      outcome: r.outcome as IdentifyOutcome,
      reason: r.reason,
      diagnosis: r.diagnosis,
      userId: r.user_id,
      anonymousId: r.anonymous_id,
      keyId: r.key_id,
      ip: r.ip,
      createdAt: r.created_at,
    }));
  }

  /** Hourly counts for a widget since a time (members may read these). */
  async stats(workspaceId: string, widgetId: string, since: number): Promise<IdentityStatsRow[]> {
    await this.flush();
    const rows = await this.deps.db
      .selectFrom('identity_stats')
      .select(['hour', 'outcome', 'reason', 'count'])
      .where('workspace_id', '=', workspaceId)
      .where('widget_id', '=', widgetId)
      .where('hour', '>=', since)
      .orderBy('hour')
      .execute();
    return rows.map((r) => ({ hour: r.hour, outcome: r.outcome, reason: r.reason, count: Number(r.count) }));
  }
}

function toRow(e: IdentityLogEntry): Record<LogColumn, unknown> {
  return {
    workspace_id: e.workspaceId,
    widget_id: e.widgetId,
    created_at: e.at,
    outcome: e.outcome,
    reason: e.reason,
    diagnosis: e.diagnosis,
    user_id: e.userId,
    anonymous_id: e.anonymousId,
    key_id: e.keyId,
    ip: e.ip,
  };
}
