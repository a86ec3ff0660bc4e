import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/schema.js';
import type { GroupCommit } from '../db/group-commit.js';
import { addDelta, byTopic, type InterestWriter, type TopicDelta } from './interest-writer.js';

/** Rows waiting past which a flush starts at once rather than at the next tick. */
export const INTEREST_BUFFER_MAX_ROWS = 5_000;

type Pending = { workspaceId: string; viewer: string; at: number; topics: Map<string, TopicDelta> };

/**
 * Interest activity on its way to `interest_scores`: ingestion adds what a
 * committed batch of events credits, and the buffer writes it every
 * `flushMs` (`LUMIO_INTEREST_FLUSH_MS`) in one transaction, summed per
 * (viewer, topic). Under load this turns one upsert per event batch into one
 * per viewer and topic per interval: on PostgreSQL the per-batch upserts cost
 * ingestion about a quarter of its throughput (bench/analytics/README.md).
 *
 * Interests are derived data: the events are the record, stored and
 * acknowledged before anything is buffered, so a crash loses at most one
 * interval of interest updates and never an event. `close()` writes what is
 * left. Adding is commutative (interest-writer.ts decays the stored score, then
 * adds), so several server processes each with their own buffer agree.
 */
export class InterestBuffer {
  private pending = new Map<string, Pending>();
  private rows = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly writer: Pick<InterestWriter, 'add'>,
    private readonly writes: Pick<GroupCommit, 'submit'>,
    private readonly options: { flushMs: number; logger: Pick<Logger, 'error'> },
  ) {}

  /** Queues what a committed batch adds to a viewer's topics. */
  add(workspaceId: string, viewer: string, deltas: readonly TopicDelta[], now: number): void {
    if (deltas.length === 0) return;
    const key = `${workspaceId}\u0000${viewer}`;
    let entry = this.pending.get(key);
    if (!entry) this.pending.set(key, (entry = { workspaceId, viewer, at: now, topics: new Map() }));
    entry.at = Math.max(entry.at, now);
    for (const d of deltas) {
      const held = entry.topics.get(d.topic);
      if (!held) {
        entry.topics.set(d.topic, { ...d });
        this.rows++;
        continue;
      }
      addDelta(held, d);
    }
    if (this.rows >= INTEREST_BUFFER_MAX_ROWS) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.options.flushMs);
      this.timer.unref();
    }
  }

  /**
   * Takes a viewer's queued activity out of the buffer (an anonymous browser's,
   * when its verified identify joins it to the user: see InterestWriter.mergeAnonymous).
   */
  take(workspaceId: string, viewer: string): TopicDelta[] {
    const key = `${workspaceId}\u0000${viewer}`;
    const entry = this.pending.get(key);
    if (!entry) return [];
    this.pending.delete(key);
    this.rows -= entry.topics.size;
    return [...entry.topics.values()];
  }

  /** Writes everything queued so far; resolves when it is committed (erasure waits for it before deleting). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending.values()];
    this.pending = new Map();
    this.rows = 0;
    // One flush at a time, in order: a later one never overtakes an earlier one.
    const run = this.flushing.then(() => (batch.length > 0 ? this.write(batch) : undefined));
    this.flushing = run;
    return run;
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    await this.flush();
  }

  private async write(batch: Pending[]): Promise<void> {
    // Viewers and topics in one order, so concurrent flushes of several processes lock rows alike.
    batch.sort((a, b) => (a.workspaceId + a.viewer < b.workspaceId + b.viewer ? -1 : 1));
    try {
      await this.writes.submit(async (trx: Kysely<Database>) => {
        for (const entry of batch) {
          const deltas = [...entry.topics.values()].sort(byTopic);
          await this.writer.add(trx, entry.workspaceId, entry.viewer, deltas, entry.at);
        }
      }, 'interests');
    } catch (error) {
      // Derived data: logged and let go rather than retried without bound (the events are stored).
      this.options.logger.error({ err: error, viewers: batch.length }, 'interest profiles: a buffered update could not be written');
    }
  }
}
