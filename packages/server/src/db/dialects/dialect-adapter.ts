import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** What the rest of the server may know about the database engine. */
export type DialectName = 'sqlite' | 'postgres';

/** A cross-process notification channel (LISTEN/NOTIFY on PostgreSQL, in-process on SQLite). */
export interface Notifier {
  publish(channel: string, payload: string): Promise<void>;
  subscribe(channel: string, listener: (payload: string) => void): Promise<void>;
  /**
   * Whether notifications reach this process now. False on PostgreSQL while
   * the LISTEN connection is down or not yet open; always true in-process.
   */
  readonly live: boolean;
  /**
   * Calls `listener` whenever notifications may have been missed: when the
   * LISTEN connection drops, and again once it listens anew. A cache that
   * relies on notifications forgets everything then.
   */
  onGap(listener: () => void): void;
  close(): Promise<void>;
}

/**
 * The small set of dialect differences, one implementation per engine; services
 * never import `better-sqlite3` or `pg`.
 */
export interface DialectAdapter {
  readonly name: DialectName;
  readonly db: Kysely<Database>;
  /**
   * Where analytics reports read: on SQLite a query-only connection of its own
   * with a memory map (long scans; see sqlite-dialect.ts); `db` elsewhere.
   */
  readonly reportDb: Kysely<Database>;
  /**
   * True when this process is the only writer of the database (the embedded
   * SQLite file), so an in-memory copy of a row stays exact as long as this
   * process's own writes invalidate it. False for PostgreSQL, where other
   * server processes write too.
   */
  readonly soleWriter: boolean;
  /** Column type for JSON documents in DDL. */
  readonly jsonType: 'text' | 'jsonb';
  /** Column type for epoch-millisecond times and counters in DDL. */
  readonly bigintType: 'integer' | 'bigint';
  /** DDL for an auto-increment primary key column. */
  addAutoIncrementId(builder: import('kysely').CreateTableBuilder<string, never>): import('kysely').CreateTableBuilder<string, 'id'>;
  /** Serialises a JSON document for an insert or update. */
  json(value: unknown): unknown;
  readonly notifier: Notifier;
  /**
   * SQLite only: runs one statement once per row of parameters, synchronously
   * on the connection (so inside the transaction the caller is in), and
   * returns how many rows each run changed. For bulk inserts on the ingestion
   * path, where one multi-row `INSERT … RETURNING` cost about 30% more than
   * as many single-row runs of a prepared statement.
   */
  /**
   * SQLite with background checkpoints: a promise while writers should wait
   * for the checkpointer to reach the end of the WAL (so the next transaction
   * starts it over), else undefined. The group commit awaits it between
   * transactions.
   */
  readonly writeGate?: () => Promise<void> | undefined;
  readonly runEach?: (sql: string, rows: readonly unknown[][]) => number[];
  /** Checks the database answers. */
  ping(): Promise<void>;
  destroy(): Promise<void>;
}
