import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Database } from '../schema.js';
import type { DialectAdapter, Notifier } from './dialect-adapter.js';
import { createHash } from 'node:crypto';
import { isPreparedText } from '../prepared-query.js';

// Epoch-millisecond times and counters fit in a double; parse int8 as a number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** Options for the PostgreSQL adapter. */
export interface PostgresAdapterOptions {
  connectionString: string;
  /** Schema to put first on the search_path (tests use one schema per suite). */
  schema?: string;
  maxConnections?: number;
  /**
   * Told when an idle pooled connection fails (PostgreSQL restarted, a network
   * blip, the backend was terminated). The pool drops that connection and opens
   * another on next use; without a listener, pg's 'error' event would crash
   * the process.
   */
  onIdleError?: (error: Error) => void;
}

/** Connects to PostgreSQL with a pool, and a dedicated connection for LISTEN. */
export function createPostgresAdapter(options: PostgresAdapterOptions): DialectAdapter {
  // JIT off: Lumio's queries are short, and on a report's plan cost PostgreSQL's
  // JIT spent 4 of a query's 4.8 s compiling (bench/analytics/README.md).
  const connectionOptions = ['-c jit=off', ...(options.schema ? [`-c search_path=${options.schema}`] : [])].join(' ');
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    options: connectionOptions,
  });
  pool.on('error', (error) => options.onIdleError?.(error));
  pool.on('connect', nameHotStatements);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const notifier = createPgNotifier(pool, options.connectionString, connectionOptions);
  return {
    name: 'postgres',
    db,
    soleWriter: false,
    jsonType: 'jsonb',
    bigintType: 'bigint',
    addAutoIncrementId: (builder) => builder.addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity()),
    reportDb: db,
    json: (value) => JSON.stringify(value),
    notifier,
    async ping() {
      await sql`select 1`.execute(db);
    },
    async destroy() {
      await notifier.close();
      await db.destroy();
    },
  };
}

function createPgNotifier(pool: pg.Pool, connectionString: string, connectionOptions: string | undefined): Notifier {
  const listeners = new Map<string, Set<(payload: string) => void>>();
  const gapListeners: Array<() => void> = [];
  const gap = () => {
    for (const listener of gapListeners) listener();
  };
  let live = false;
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let closed = false;

  const connect = (): Promise<pg.Client> => {
    connecting ??= (async () => {
      const c = new pg.Client({ connectionString, ...(connectionOptions ? { options: connectionOptions } : {}) });
      c.on('notification', (msg) => {
        for (const listener of listeners.get(msg.channel) ?? []) listener(msg.payload ?? '');
      });
      let gone = false;
      const lost = () => {
        // The listener connection dropped: reconnect and re-LISTEN, so cache
        // invalidations keep arriving after a database restart. What was sent
        // meanwhile is lost: caches hear of the gap now and again once back.
        if (gone) return;
        gone = true;
        client = undefined;
        connecting = undefined;
        if (live) {
          live = false;
          gap();
        }
        if (!closed) setTimeout(() => void resubscribe(), 1000).unref();
      };
      c.on('error', lost);
      c.on('end', lost);
      await c.connect();
      client = c;
      return c;
    })().catch((error: unknown) => {
      // A failed attempt is not kept: the next resubscribe tries a new connection.
      connecting = undefined;
      throw error;
    });
    return connecting;
  };
  const resubscribe = async () => {
    try {
      const c = await connect();
      for (const channel of listeners.keys()) await c.query(`LISTEN ${quoteIdent(channel)}`);
      live = true;
      gap();
    } catch {
      if (!closed) setTimeout(() => void resubscribe(), 1000).unref();
    }
  };
  return {
    async publish(channel, payload) {
      await pool.query('select pg_notify($1, $2)', [channel, payload]);
    },
    async subscribe(channel, listener) {
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        const c = await connect();
        await c.query(`LISTEN ${quoteIdent(channel)}`);
        live = true;
      }
      set.add(listener);
    },
    get live() {
      return live;
    },
    onGap(listener) {
      gapListeners.push(listener);
    },
    async close() {
      closed = true;
      live = false;
      listeners.clear();
      const c = client ?? (connecting ? await connecting.catch(() => undefined) : undefined);
      await c?.end().catch(() => undefined);
    },
  };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

type QueryArgs = Parameters<pg.PoolClient['query']>;

/**
 * Sends the SQL of every prepared query (db/prepared-query.ts: identify's
 * reads and inserts, the identity log) as a named statement: PostgreSQL
 * parses and plans it once per connection instead of on every call, which
 * was most of what a first-time identify cost it. Every other statement
 * stays unnamed, so reports keep a plan made for their own parameters.
 *
 * A named statement whose table changed shape under it (a migration run by
 * another process) fails with "cached plan must not change result type":
 * that call is sent again unnamed (inside a transaction, which the failure
 * aborted, it fails as before and the caller's retry succeeds), and so are
 * later ones of that text on this connection.
 */
function nameHotStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const stale = new Set<string>();
  (client as { query: unknown }).query = (...args: QueryArgs) => {
    const [text, values, callback] = args as unknown as [unknown, unknown, unknown];
    if (typeof text !== 'string' || typeof callback === 'function' || !isPreparedText(text) || stale.has(text)) return query(...args);
    const named = query({ name: statementName(text), text, values }) as Promise<unknown>;
    return named.catch((error: { code?: string; message?: string }) => {
      if (error.code !== '0A000' || !error.message?.includes('cached plan must not change result type')) throw error;
      stale.add(text);
      return query(text, values);
    });
  };
}

const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = `lumio_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`));
  return name;
}
