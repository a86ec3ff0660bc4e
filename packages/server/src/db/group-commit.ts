import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { DialectAdapter } from './dialects/dialect-adapter.js';
import { classifyStorageFault } from './storage-fault.js';

type Job<T> = { run: (trx: Kysely<Database>) => Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void };

/**
 * Work around each group transaction: `begin` before its first job, `end`
 * after its last, still inside it (so before the commit). UsersStore gathers
 * the cache invalidations of all the transaction's jobs and sends them as one
 * notification in `end`, instead of one round trip per job.
 */
export interface TransactionHook {
  begin(trx: Kysely<Database>): void;
  end(trx: Kysely<Database>): Promise<void>;
}

/**
 * Group commit: write jobs that arrive while a transaction is running are
 * queued and then run together in the next single transaction. Each caller is
 * answered only after that transaction commits, so an acknowledged write is
 * durable; one commit is shared by many requests under load. A job that throws
 * fails alone: the batch is retried one job per transaction.
 *
 * With several lanes (PostgreSQL, which has a pool of connections), jobs are
 * spread by key, so writes for one key (one user) keep their order in one lane.
 *
 * When the batch fails for lack of storage (disk full, read-only, database
 * gone), every job of it fails with that error at once: retrying each alone
 * would only repeat the failure a batch-size times over. Nothing of a failed
 * transaction was acknowledged, and the next batch tries again, so writes
 * resume by themselves once space returns.
 */
export class GroupCommit {
  private readonly lanes: Lane[];
  private readonly hooks: TransactionHook[] = [];

  /**
   * `gate`, when given, is asked before each transaction and awaited when it
   * answers a promise: the SQLite checkpointer's pause ({@link DialectAdapter.writeGate}).
   */
  constructor(
    db: Kysely<Database>,
    options: {
      lanes?: number;
      maxBatch?: number;
      gate?: () => Promise<void> | undefined;
      /** Called after each committed transaction (the storage health learns that writes succeed). */
      onCommit?: () => void;
    } = {},
  ) {
    this.lanes = Array.from(
      { length: Math.max(1, options.lanes ?? 1) },
      () => new Lane(db, options.maxBatch ?? 256, options.gate ?? (() => undefined), options.onCommit ?? (() => undefined), this.hooks),
    );
  }

  /** Adds work around every group transaction from now on (see {@link TransactionHook}). */
  aroundTransactions(hook: TransactionHook): void {
    this.hooks.push(hook);
  }

  /** Runs `run` inside the next group transaction of the key's lane and resolves after commit. */
  submit<T>(run: (trx: Kysely<Database>) => Promise<T>, key = ''): Promise<T> {
    const lane = this.lanes.length === 1 ? this.lanes[0]! : this.lanes[hash(key) % this.lanes.length]!;
    return lane.submit(run);
  }
}

class Lane {
  private queue: Array<Job<unknown>> = [];
  private running = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxBatch: number,
    private readonly gate: () => Promise<void> | undefined,
    private readonly onCommit: () => void,
    private readonly hooks: readonly TransactionHook[],
  ) {}

  // One transaction of jobs, with the hooks around them.
  private transaction<T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      for (const hook of this.hooks) hook.begin(trx);
      const result = await work(trx);
      for (const hook of this.hooks) await hook.end(trx);
      return result;
    });
  }

  submit<T>(run: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve, reject } as Job<unknown>);
      if (!this.running) {
        this.running = true;
        // Start on the next turn of the event loop, not now: the other requests
        // read from the sockets in this turn submit their jobs first and share
        // the commit. Without this, SQLite (whose driver never yields to the
        // event loop) committed one job per transaction under load.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const paused = this.gate();
        if (paused) await paused;
        const batch = this.queue.splice(0, this.maxBatch);
        let values: unknown[] = [];
        try {
          await this.transaction(async (trx) => {
            values = [];
            for (const job of batch) values.push(await job.run(trx));
          });
        } catch (error) {
          if (classifyStorageFault(error)) {
            for (const job of batch) job.reject(error);
            continue;
          }
          // One job failed (or the commit did): nothing of the batch is kept, so
          // run each job in its own transaction, and each caller gets its own outcome.
          await this.runAlone(batch);
          continue;
        }
        this.onCommit();
        batch.forEach((job, i) => job.resolve(values[i]));
      }
    } finally {
      this.running = false;
    }
  }

  private async runAlone(batch: Array<Job<unknown>>): Promise<void> {
    for (const job of batch) {
      try {
        job.resolve(await this.transaction((trx) => job.run(trx)));
        this.onCommit();
      } catch (error) {
        job.reject(error);
      }
    }
  }
}

// FNV-1a: a cheap, stable spread of keys over lanes.
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
