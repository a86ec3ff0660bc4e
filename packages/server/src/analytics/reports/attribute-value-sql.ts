import { sql, type RawBuilder } from 'kysely';
import { validateProperties } from '@lumio/protocol';
import type { DialectName } from '../../db/dialects/dialect-adapter.js';
import { LumioError } from '../../errors/lumio-error.js';
import { TRAIT_ATTRIBUTES } from '../../targeting/user-attributes.js';

/**
 * What a report can break down by: a standard trait or custom property of the
 * profile (as of each event, or now), or one of the event's own columns.
 */
export type BreakdownAttribute =
  | { source: 'event'; column: 'trust' | 'userId' }
  | { source: 'profile'; kind: 'trait'; name: (typeof TRAIT_ATTRIBUTES)[number] }
  | { source: 'profile'; kind: 'property'; key: string };

const TRAITS = new Set<string>(TRAIT_ATTRIBUTES);

/**
 * Checks an attribute path a report breaks down by: `userId`, `trust`, a
 * trait (`name`, `email`, `birthday`, `gender`), or a custom property key by
 * the rules properties are stored under (no dots: breakdowns read top-level
 * values only). A bad path is a 400 naming `breakdown`.
 */
export function breakdownAttribute(path: string): BreakdownAttribute {
  if (path === 'trust' || path === 'userId') return { source: 'event', column: path };
  if (TRAITS.has(path)) return { source: 'profile', kind: 'trait', name: path as (typeof TRAIT_ATTRIBUTES)[number] };
  // The same key rules as stored properties: what cannot be stored cannot be broken down by.
  const checked = validateProperties({ [path]: true }, 'breakdown');
  if (!checked.ok || path.includes('"')) {
    throw new LumioError('invalid_request', `breakdown: "${path.slice(0, 80)}" is not an attribute name.`, { field: 'breakdown' });
  }
  return { source: 'profile', kind: 'property', key: path };
}

/**
 * An attribute's value as text, or NULL when it has none, read from a profile
 * table (`event_snapshots` or `users`) under `alias`. Values render the same
 * on both engines: strings as they are, numbers and booleans as JSON writes
 * them (`42`, `2.5`, `true`), lists as compact JSON text (`["a","b"]`: a list
 * is one value, not one per element). With `view: 'trusted'` a value counts
 * only when a trusted source wrote it, as in conditions.
 */
export function profileValueSql(
  attribute: Extract<BreakdownAttribute, { source: 'profile' }>,
  options: { dialect: DialectName; alias: string; view?: 'all' | 'trusted' | undefined },
): RawBuilder<string | null> {
  const { dialect, alias } = options;
  const sourceKey = attribute.kind === 'trait' ? attribute.name : `properties.${attribute.key}`;
  const value =
    attribute.kind === 'trait'
      ? sql<string | null>`${sql.ref(`${alias}.${attribute.name}`)}`
      : jsonValueText(dialect, sql.ref(`${alias}.properties`), attribute.key);
  if (options.view !== 'trusted') return value;
  const trusted = sql`(${jsonValueText(dialect, sql.ref(`${alias}.sources`), sourceKey)}) = 'trusted'`;
  return sql<string | null>`(CASE WHEN ${trusted} THEN ${value} END)`;
}

/**
 * One top-level value of a JSON column as text (see {@link profileValueSql}
 * for the rendering), NULL when missing or JSON null. The key is a bound
 * parameter on both engines.
 */
export function jsonValueText(dialect: DialectName, column: RawBuilder<unknown>, key: string): RawBuilder<string | null> {
  if (dialect === 'sqlite') {
    // SQLite's path syntax quotes the key; keys never hold a double quote (breakdownAttribute, validateProperties).
    if (key.includes('"')) throw new Error(`jsonValueText: a key cannot contain '"': ${key}`);
    const path = `$."${key}"`;
    // `->>` gives strings unquoted but numbers as SQL numbers (2.0 as '2.0' once cast) and booleans as 1/0;
    // `->` gives the JSON text as stored, which is what JSON.stringify wrote.
    return sql<
      string | null
    >`(CASE json_type(${column}, ${path}) WHEN 'text' THEN ${column} ->> ${path} WHEN 'null' THEN NULL ELSE ${column} -> ${path} END)`;
  }
  const json = sql`(${column} -> ${key}::text)`;
  // jsonb prints lists with a space after each comma: rebuild them compact, element by element, as SQLite keeps them.
  return sql<
    string | null
  >`(CASE jsonb_typeof(${json}) WHEN 'array' THEN COALESCE((SELECT '[' || string_agg(x.v::text, ',' ORDER BY x.i) || ']' FROM jsonb_array_elements(${json}) WITH ORDINALITY AS x(v, i)), '[]') WHEN 'null' THEN NULL ELSE ${column} ->> ${key}::text END)`;
}

/**
 * The event-side attributes as text from an events table (or its rollup)
 * under `alias`: its trust level, or the user it counts for (NULL for an
 * anonymous person), read from `person` so it stays inside the report index.
 */
export function eventValueSql(attribute: Extract<BreakdownAttribute, { source: 'event' }>, alias: string): RawBuilder<string | null> {
  if (attribute.column === 'trust') return sql<string>`${sql.ref(`${alias}.trust`)}`;
  const person = sql.ref(`${alias}.person`);
  return sql<string | null>`(CASE WHEN substr(${person}, 1, 2) = 'u:' THEN substr(${person}, 3) END)`;
}
