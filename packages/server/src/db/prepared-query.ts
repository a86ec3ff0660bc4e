import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * A Kysely query built and compiled once, then run with new parameter values:
 * the SQL text stays the dialect's own, but the per-call cost of building and
 * compiling the query tree is gone. For the few queries on hot paths.
 *
 * @example
 * const byId = prepareQuery(db, (p) => db.selectFrom('users').selectAll().where('user_id', '=', p.userId), ['userId']);
 * const rows = await byId.run(db, { userId: 'u1' });
 */
export function prepareQuery<P extends string, R>(
  db: Kysely<Database>,
  build: (params: Record<P, string>) => Compilable<R>,
  names: readonly P[],
): PreparedQuery<P, R> {
  const sentinels = Object.fromEntries(names.map((name, i) => [name, `\u0000lumio-param-${i}\u0000`])) as Record<P, string>;
  const compiled = build(sentinels).compile();
  const byValue = new Map(names.map((name) => [sentinels[name], name]));
  const order = compiled.parameters.map((value) => {
    const name = byValue.get(value as string);
    if (name === undefined) throw new Error(`prepareQuery: a parameter of "${compiled.sql}" is not one of ${names.join(', ')}`);
    return name;
  });
  void db;
  namedStatements.add(compiled.sql);
  return {
    sql: compiled.sql,
    async run(executor, values) {
      const result = await executor.executeQuery<R>(
        CompiledQuery.raw(
          compiled.sql,
          order.map((name) => values[name]),
        ),
      );
      return result.rows;
    },
  };
}

// The SQL texts of every prepared query: on PostgreSQL each runs as a named (server-side prepared)
// statement, parsed and planned once per connection (db/dialects/postgres-dialect.ts). A fixed set:
// one text per prepareQuery call, which only hot paths make, once.
const namedStatements = new Set<string>();

/** Whether `text` is the SQL of a prepared query (PostgreSQL names it; see postgres-dialect.ts). */
export function isPreparedText(text: string): boolean {
  return namedStatements.has(text);
}

/** A compiled query waiting for its parameter values. */
export interface PreparedQuery<P extends string, R> {
  readonly sql: string;
  /** Runs on the database or inside a transaction. */
  run(executor: Kysely<Database>, values: Record<P, unknown>): Promise<R[]>;
}
