import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

type Job<T> = { run: (trx: Kysely<Database>) => Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void };

/**
 * Group commit: write jobs that arrive while a transaction is running are
 * queued and then run together in the next single transaction. Each caller is
 * answered only after that transaction commits, so an acknowledged write is
 * durable; one commit is shared by many requests under load. A job that throws
 * fails alone: the batch is retried one job per transaction.
 */
export class GroupCommit {
  private queue: Array<Job<unknown>> = [];
  private running = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxBatch = 256,
  ) {}

  /** Runs `run` inside the next group transaction and resolves after commit. */
  submit<T>(run: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve, reject } as Job<unknown>);
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        let values: unknown[] = [];
        try {
          await this.db.transaction().execute(async (trx) => {
            values = [];
            for (const job of batch) values.push(await job.run(trx));
          });
        } catch {
          // One job failed (or the commit did): nothing of the batch is kept, so
          // run each job in its own transaction, and each caller gets its own outcome.
          await this.runAlone(batch);
          continue;
        }
        batch.forEach((job, i) => job.resolve(values[i]));
      }
    } finally {
      this.running = false;
    }
  }

  private async runAlone(batch: Array<Job<unknown>>): Promise<void> {
    for (const job of batch) {
      try {
        job.resolve(await this.db.transaction().execute((trx) => job.run(trx)));
      } catch (error) {
        job.reject(error);
      }
    }
  }
}
