import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { DialectAdapter } from './dialects/dialect-adapter.js';
import { classifyStorageFault } from './storage-fault.js';
import { startBatching, stopBatching } from './batched-query.js';

type Job<T> = {
  run: (trx: Kysely<Database>) => Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
  // What the job writes, for running beside others (see GroupCommit.submit); null: runs alone, in order.
  conflicts: readonly string[] | null;
};

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
 * `concurrent` (PostgreSQL) starts the jobs of a transaction together, so
 * their batched statements (db/batched-query.ts) run once for all of them: each round
 * trip and each statement's parse and plan is shared by the batch instead of
 * paid per job. Jobs that touch the same row in one batch can fail (two
 * inserts of one new user): the batch then reruns one job per transaction,
 * as for any failure, and each job sees the one before it.
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
  private readonly concurrent: boolean;

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
      /** Run a transaction's jobs side by side, sharing their batched statements (see above). */
      concurrent?: boolean;
      /** Called after each committed transaction (the storage health learns that writes succeed). */
      onCommit?: () => void;
    } = {},
  ) {
    this.concurrent = options.concurrent ?? false;
    this.lanes = Array.from(
      { length: Math.max(1, options.lanes ?? 1) },
      () =>
        new Lane(
          db,
          options.maxBatch ?? 256,
          options.gate ?? (() => undefined),
          options.onCommit ?? (() => undefined),
          this.hooks,
          options.concurrent ?? false,
        ),
    );
  }

  /** Adds work around every group transaction from now on (see {@link TransactionHook}). */
  aroundTransactions(hook: TransactionHook): void {
    this.hooks.push(hook);
  }

  /**
   * Runs `run` inside the next group transaction of the key's lane and
   * resolves after commit. `conflicts` lets a concurrent lane run the job
   * beside the jobs next to it in the queue that also give theirs, except
   * after one that shares a conflict key (the keys of the rows it may
   * write): that one it waits for. Without it, the job runs alone, in order.
   */
  submit<T>(run: (trx: Kysely<Database>) => Promise<T>, key = '', conflicts?: readonly string[]): Promise<T> {
    return this.laneOf(key, conflicts !== undefined).submit(run, conflicts ?? null);
  }

  // Jobs with conflict keys share the first lane, where they batch best (as many side by side as
  // arrive); the others spread over the rest by key, so a long job (an import's batch) never holds them up.
  private laneOf(key: string, together: boolean): Lane {
    const count = this.lanes.length;
    if (count === 1) return this.lanes[0]!;
    if (this.concurrent) return together ? this.lanes[0]! : this.lanes[1 + (hash(key) % (count - 1))]!;
    return this.lanes[hash(key) % count]!;
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
    private readonly concurrent: boolean,
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

  submit<T>(run: (trx: Kysely<Database>) => Promise<T>, conflicts: readonly string[] | null): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve, reject, conflicts } as Job<unknown>);
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
            values = this.concurrent ? await runInSegments(trx, batch) : await runInOrder(trx, batch);
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

// One job after another, in queue order, each seeing what the ones before it wrote (lanes that are not concurrent).
async function runInOrder(trx: Kysely<Database>, batch: Array<Job<unknown>>): Promise<unknown[]> {
  const values: unknown[] = [];
  for (const job of batch) values.push(await job.run(trx));
  return values;
}

// In queue order: each run of jobs that gave conflict keys side by side, every other job alone between them.
async function runInSegments(trx: Kysely<Database>, batch: Array<Job<unknown>>): Promise<unknown[]> {
  const values: unknown[] = [];
  for (let start = 0; start < batch.length;) {
    let end = start;
    while (end < batch.length && batch[end]!.conflicts) end++;
    if (end - start > 1) values.push(...(await runTogether(trx, batch.slice(start, end))));
    else values.push(await batch[start]!.run(trx));
    start = Math.max(end, start + 1);
  }
  return values;
}

// Jobs side by side, their batched statements shared; a job waits for the earlier ones that share a
// conflict key. The first failure fails the batch, once every job has settled (none is left mid-statement).
async function runTogether(trx: Kysely<Database>, jobs: Array<Job<unknown>>): Promise<unknown[]> {
  const scope = startBatching(trx);
  try {
    const last = new Map<string, Promise<unknown>>();
    const started = jobs.map((job) => {
      const before = (job.conflicts ?? []).flatMap((key) => last.get(key) ?? []);
      const run = () => scope.track(() => job.run(trx));
      const outcome = before.length > 0 ? Promise.allSettled(before).then(run) : run();
      for (const key of job.conflicts ?? []) last.set(key, outcome);
      return outcome;
    });
    const settled = await Promise.allSettled(started);
    const failed = settled.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value);
  } finally {
    stopBatching(trx);
  }
}

// FNV-1a: a cheap, stable spread of keys over lanes.
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
