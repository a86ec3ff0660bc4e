import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';

type Pending<K, R> = { key: K; resolve: (value: R) => void; reject: (error: unknown) => void };

/**
 * Where batched statements wait for their keys: {@link enqueue} holds them,
 * and each kind of scope decides when to send them all ({@link flush}), one
 * statement per kind of query for every key waiting on it.
 */
abstract class StatementScope {
  private readonly pending = new Map<BatchedQuery<never, unknown>, Array<Pending<never, unknown>>>();

  constructor(private readonly db: Kysely<Database>) {}

  /** Holds a key until the scope sends its query's statement. */
  enqueue<K, R>(query: BatchedQuery<K, R>, pending: Pending<K, R>): void {
    const first = this.pending.size === 0;
    const self = query as unknown as BatchedQuery<never, unknown>;
    const list = this.pending.get(self);
    if (list) list.push(pending as unknown as Pending<never, unknown>);
    else this.pending.set(self, [pending as unknown as Pending<never, unknown>]);
    this.enqueued(first);
  }

  /** Called after each {@link enqueue}; `first`: nothing else was waiting. */
  protected abstract enqueued(first: boolean): void;

  /** Sends every statement waiting, each once for all its keys. */
  protected flush(): void {
    const all = [...this.pending];
    this.pending.clear();
    for (const [query, list] of all) void query.flush(this.db, list);
  }
}

/**
 * The jobs of one group transaction that run side by side (GroupCommit's
 * concurrent lanes) and the batched statements they wait on. A statement is
 * sent once every running job waits on one (or has ended): the jobs advance
 * in step, each round one statement per kind for all of them. Waiting for a
 * turn of the event loop instead is not enough on PostgreSQL: the answers to
 * the jobs' earlier statements arrive one socket read at a time.
 */
export class BatchScope extends StatementScope {
  private active = 0;
  private waiting = 0;

  /** Runs one job as part of the scope: while it runs, statements wait for it too. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
      this.flushIfAllWait();
    }
  }

  protected override enqueued(): void {
    this.waiting++;
    this.flushIfAllWait();
  }

  private flushIfAllWait(): void {
    if (this.waiting === 0 || this.waiting < this.active) return;
    this.waiting = 0;
    this.flush();
  }
}

/**
 * The batched reads run on a database itself (not in a transaction) during
 * one turn of the event loop: they are sent together at its end, once for
 * every request read from the sockets in that turn.
 */
class TurnScope extends StatementScope {
  protected override enqueued(first: boolean): void {
    if (first) setImmediate(() => this.flush());
  }
}

// The transactions whose jobs run side by side, with their scope.
const scopes = new WeakMap<Kysely<Database>, BatchScope>();

/**
 * Lets the jobs of one group transaction share statements: from now until
 * {@link stopBatching}, every {@link BatchedQuery} run on `trx` by a job the
 * scope tracks waits until every running job waits on one, then runs once
 * for all the keys. GroupCommit starts the jobs of a PostgreSQL transaction
 * together, so fifty first-time identifies read and write their users, links
 * and anonymous leftovers in a dozen statements instead of six hundred.
 */
export function startBatching(trx: Kysely<Database>): BatchScope {
  const scope = new BatchScope(trx);
  scopes.set(trx, scope);
  return scope;
}

/** Ends {@link startBatching}: later queries on `trx` run alone. */
export function stopBatching(trx: Kysely<Database>): void {
  scopes.delete(trx);
}

// Databases whose batched reads outside transactions wait for the end of the event loop's turn.
const turns = new WeakMap<Kysely<Database>, TurnScope>();

/**
 * From now on, a batched read run on `db` itself (not in a transaction)
 * waits for the end of the event loop's turn and runs once for every
 * request read from the sockets in that turn (PostgreSQL: under load, the
 * first-time identifies parsed together share their user, link and alias
 * reads). Reads only: writes outside a group transaction run alone.
 */
export function batchReadsPerTurn(db: Kysely<Database>): void {
  turns.set(db, new TurnScope(db));
}

/**
 * One kind of statement that can run for many keys at once. `one` is what a
 * job runs alone (on SQLite, or outside a batching transaction); `many` runs
 * the same statement for several keys and answers in the keys' order. Both
 * must mean the same thing: `many([a, b])` equals `[one(a), one(b)]` run in
 * the same transaction.
 *
 * @example
 * const userById = new BatchedQuery(
 *   (db, key: { workspaceId: string; userId: string }) => readOne(db, key),
 *   (db, keys) => readMany(db, keys),
 * );
 * await userById.run(trx, { workspaceId, userId });
 */
export class BatchedQuery<K, R> {
  /** `write`: a statement that changes rows, never shared outside a group transaction (see {@link batchReadsPerTurn}). */
  constructor(
    private readonly one: (db: Kysely<Database>, key: K) => Promise<R>,
    private readonly many: (db: Kysely<Database>, keys: K[]) => Promise<R[]>,
    private readonly kind: 'read' | 'write' = 'read',
  ) {}

  run(db: Kysely<Database>, key: K): Promise<R> {
    const scope = scopes.get(db) ?? (this.kind === 'read' ? turns.get(db) : undefined);
    if (!scope) return this.one(db, key);
    return new Promise<R>((resolve, reject) => scope.enqueue(this, { key, resolve, reject }));
  }

  /** Runs the statement for the keys waiting on it (its scope decides when). */
  async flush(db: Kysely<Database>, waiting: Array<Pending<K, R>>): Promise<void> {
    try {
      const results =
        waiting.length === 1
          ? [await this.one(db, waiting[0]!.key)]
          : await this.many(
              db,
              waiting.map((p) => p.key),
            );
      waiting.forEach((p, i) => p.resolve(results[i] as R));
    } catch (error) {
      for (const p of waiting) p.reject(error);
    }
  }
}

/**
 * Groups keys by workspace (every batched statement is scoped by one
 * workspace id, as every query is) and runs `read` once per workspace.
 */
export async function perWorkspace<K extends { workspaceId: string }, R>(
  keys: readonly K[],
  read: (workspaceId: string, keys: K[]) => Promise<Map<K, R>>,
): Promise<R[]> {
  const groups = new Map<string, K[]>();
  for (const key of keys) {
    const group = groups.get(key.workspaceId);
    if (group) group.push(key);
    else groups.set(key.workspaceId, [key]);
  }
  const answers = new Map<K, R>();
  for (const [workspaceId, group] of groups) for (const [key, value] of await read(workspaceId, group)) answers.set(key, value);
  return keys.map((key) => answers.get(key) as R);
}

/**
 * A batched read of a table's rows by one column within a workspace
 * (`where workspace_id = ? and <column> = ?`): many keys are one
 * `in (…)` read. The rows of a key come in no particular order. `one`, when
 * given, reads a single key instead (a prepared statement on a hot path);
 * it may select fewer columns.
 */
export function rowsByKey<T extends keyof Database & string>(
  table: T,
  column: keyof Database[T] & string,
  one?: (db: Kysely<Database>, key: { workspaceId: string; value: string }) => Promise<Array<Selectable<Database[T]>>>,
): BatchedQuery<{ workspaceId: string; value: string }, Array<Selectable<Database[T]>>> {
  type Row = Selectable<Database[T]>;
  const read = async (db: Kysely<Database>, workspaceId: string, values: string[]): Promise<Row[]> =>
    (await (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
      .selectFrom(table)
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where(column as never, 'in', values as never)
      .execute()) as unknown as Row[];
  return new BatchedQuery(one ?? ((db, key) => read(db, key.workspaceId, [key.value])), (db, keys) =>
    perWorkspace(keys, async (workspaceId, group) => {
      const rows = await read(db, workspaceId, [...new Set(group.map((k) => k.value))]);
      const byValue = new Map<unknown, Row[]>();
      for (const row of rows) {
        const value = (row as Record<string, unknown>)[column];
        const list = byValue.get(value);
        if (list) list.push(row);
        else byValue.set(value, [row]);
      }
      return new Map(group.map((k) => [k, byValue.get(k.value) ?? []]));
    }),
  );
}
