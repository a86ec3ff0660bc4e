import fs from 'node:fs';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Database } from '../schema.js';
import type { DialectAdapter, Notifier } from './dialect-adapter.js';
import { registerTargetingFunctions } from './sqlite-functions.js';
import { WalCheckpointer, type WalCheckpointerOptions } from './wal-checkpointer.js';

/** How the embedded database is opened. */
export interface SqliteOptions {
  /**
   * Checkpoint the WAL from a worker thread instead of inside commits (see
   * {@link WalCheckpointer}); what `lumio start` does. Off, SQLite checkpoints
   * on its own every 1,000 pages.
   */
  backgroundCheckpoints?: boolean | WalCheckpointerOptions;
}

/** Opens (creating if needed) the embedded SQLite database in WAL mode. */
export function createSqliteAdapter(file: string, options: SqliteOptions = {}): DialectAdapter {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const connection = new SQLite(file);
  // WAL + synchronous=NORMAL: a commit survives a crash of the process (kill -9),
  // which is the durability DESIGN.md asks for, at a fraction of FULL's cost.
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  // Statement journals (a multi-row insert's undo pages) in memory: on disk, a
  // 100-event insert created, wrote and deleted a temporary file.
  connection.pragma('temp_store = MEMORY');
  // A 64 MiB page cache (SQLite's default is 2 MiB): inserting into a large
  // table's indexes (a million-user import, users_search_*) otherwise reads
  // most index pages back from the OS on every batch.
  connection.pragma('cache_size = -65536');
  let checkpointer: WalCheckpointer | undefined;
  if (options.backgroundCheckpoints && file !== ':memory:') {
    connection.pragma('wal_autocheckpoint = 0');
    // After a restart, the WAL file is cut back to this size rather than kept at its peak.
    connection.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    const settings = options.backgroundCheckpoints === true ? {} : options.backgroundCheckpoints;
    checkpointer = new WalCheckpointer(file, settings, {
      onRestartNeeded() {
        // Between two transactions (a message is handled on its own turn of the event loop).
        if (connection.open && !connection.inTransaction) connection.pragma('wal_checkpoint(RESTART)');
      },
      onError(message) {
        // Never leave the WAL unchecked: fall back to SQLite's own checkpoints.
        if (connection.open) connection.pragma('wal_autocheckpoint = 1000');
        process.emitWarning(`SQLite background checkpoint failed (${message}); checkpointing in commits instead`);
      },
    });
  }
  // Targeting conditions compiled to SQL call these (JavaScript's coercions, dates, patterns).
  registerTargetingFunctions(connection);
  const statements = withStatementCache(connection);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
  // Reports read through a connection of their own, opened on first use:
  // query-only, and reading through a memory map rather than a read() per page
  // (a 10M-event demographics report scans 310,000 index entries: p99 1,070 →
  // 682 ms). On the writing connection the map cost ingestion 20%.
  let reader: Kysely<Database> | undefined;
  const openReader = () => {
    const readConnection = new SQLite(file);
    readConnection.pragma('query_only = 1');
    readConnection.pragma('busy_timeout = 5000');
    readConnection.pragma('temp_store = MEMORY');
    // SQLite's own ceiling (2 GiB); the OS keeps the pages, not the heap.
    readConnection.pragma('mmap_size = 2147418112');
    registerTargetingFunctions(readConnection);
    return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(readConnection) }) });
  };
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  // One process owns an SQLite file, so notifications never need to leave it.
  const notifier: Notifier = {
    async publish(channel, payload) {
      emitter.emit(channel, payload);
    },
    async subscribe(channel, listener) {
      emitter.on(channel, listener);
    },
    live: true,
    onGap() {
      // In-process: nothing is ever missed.
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
  return {
    name: 'sqlite',
    db,
    soleWriter: true,
    jsonType: 'text',
    bigintType: 'integer',
    addAutoIncrementId: (builder) => builder.addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement()),
    json: (value) => JSON.stringify(value),
    get reportDb() {
      // An in-memory database is one connection's alone.
      if (file === ':memory:') return db;
      reader ??= openReader();
      return reader;
    },
    writeGate: checkpointer ? () => checkpointer.gate() : undefined,
    runEach(text, rows) {
      const statement = statements.prepare(text);
      return rows.map((params) => statement.run(params).changes);
    },
    notifier,
    async ping() {
      await sql`select 1`.execute(db);
    },
    async destroy() {
      await notifier.close();
      // The checkpointer's connection goes first: the last connection to close checkpoints and removes the WAL.
      await checkpointer?.stop();
      await reader?.destroy();
      await db.destroy();
    },
  };
}

const STATEMENT_CACHE_SIZE = 500;

// Stands in for a ROLLBACK statement when no transaction is open (see prepare).
const NOTHING_TO_ROLL_BACK = { reader: false, run: () => ({ changes: 0, lastInsertRowid: 0 }) } as unknown as SQLite.Statement;

/**
 * Kysely's SQLite driver prepares every query afresh; preparing costs more than
 * running a small query, so keep prepared statements by SQL text (bounded, least
 * recently used out first). Safe because better-sqlite3 runs one statement at a
 * time and Lumio never streams.
 */
function withStatementCache(connection: SQLite.Database): { prepare(sql: string): SQLite.Statement; close(): void } {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(sql) {
      // A failed COMMIT (disk full, I/O error) may already have rolled the
      // transaction back inside SQLite. Kysely then sends ROLLBACK anyway, which
      // throws "cannot rollback - no transaction is active" and replaces the real
      // error: a full disk logged thousands of those and answered 500. Roll back
      // only what is open, so the caller sees SQLITE_FULL itself.
      if (sql === 'rollback' && !connection.inTransaction) return NOTHING_TO_ROLL_BACK;
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = connection.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
    close() {
      cache.clear();
      connection.close();
    },
  };
}
