import { sql } from 'kysely';
import { toPostgresPattern } from '@lumio/targeting';
import type { Comparison, JsonType, Sql, SqlTarget, SqlValue } from './sql-target.js';

/** A value on PostgreSQL: a `jsonb` expression (SQL NULL when missing), or a plain number. */
export interface PostgresValue extends SqlValue {
  readonly json: Sql;
  readonly number?: Sql;
}

/**
 * Reads and tests attributes on PostgreSQL: `jsonb` operators, and the
 * functions of migration 0003 for JavaScript's coercions. Text compares in
 * code-point order (`COLLATE "C"`), whatever the database's locale.
 */
export class PostgresTarget implements SqlTarget<PostgresValue> {
  private aliases = 0;

  constructor(private readonly table: string) {}

  column(name: string, visible?: Sql, table = this.table): PostgresValue {
    const json = sql`to_jsonb(${sql.ref(`${table}.${name}`)})`;
    return { json: visible ? sql`(CASE WHEN ${visible} THEN ${json} END)` : json };
  }

  property(key: string, visible?: Sql, table = this.table): PostgresValue {
    const json = sql`(${sql.ref(`${table}.properties`)} -> ${key}::text)`;
    return { json: visible ? sql`(CASE WHEN ${visible} THEN ${json} END)` : json };
  }

  sourceIs(sourceKey: string, source: string, table = this.table): Sql {
    return sql`(${sql.ref(`${table}.sources`)} ->> ${sourceKey}::text) = ${source}::text`;
  }

  path(value: PostgresValue, parts: string[]): PostgresValue {
    return { json: sql`lumio_path(${value.json}, ${parts}::text[])` };
  }

  numberValue(expression: Sql): PostgresValue {
    return { json: sql`to_jsonb(${expression})`, number: expression, known: 'number' };
  }

  isNull(value: PostgresValue): Sql {
    if (value.number) return sql`FALSE`;
    return sql`(${value.json} IS NULL OR jsonb_typeof(${value.json}) = 'null')`;
  }

  typeIs(value: PostgresValue, type: JsonType): Sql {
    if (value.number) return type === 'number' ? sql`TRUE` : sql`FALSE`;
    return sql`jsonb_typeof(${value.json}) = ${sql.lit(type)}`;
  }

  text(value: PostgresValue): Sql {
    return sql`(${value.json} #>> '{}')`;
  }

  num(value: PostgresValue): Sql {
    return value.number ?? sql`(${value.json})::float8`;
  }

  isTrue(value: PostgresValue): Sql {
    return sql`${value.json} = 'true'::jsonb`;
  }

  equals(value: PostgresValue, scalar: string | number | boolean): Sql {
    if (value.number) return typeof scalar === 'number' ? sql`${value.number} = ${scalar}::float8` : sql`FALSE`;
    // jsonb equality is JavaScript's ===: same type, same text, same number (JSON.stringify wrote both).
    return sql`${value.json} = ${JSON.stringify(scalar)}::jsonb`;
  }

  inList(value: PostgresValue, strings: readonly string[], numbers: readonly number[], booleans: readonly boolean[]): Sql {
    if (value.number) return numbers.length > 0 ? sql`${value.number} = ANY(${[...numbers]}::float8[])` : sql`FALSE`;
    const items = [...strings, ...numbers, ...booleans].map((item) => JSON.stringify(item));
    return items.length > 0 ? sql`${value.json} = ANY(${items}::jsonb[])` : sql`FALSE`;
  }

  jsonEquals(value: PostgresValue, json: string): Sql {
    if (value.number) return sql`FALSE`;
    return sql`${value.json} = ${json}::jsonb`;
  }

  someElement(value: PostgresValue, test: (element: PostgresValue) => Sql): Sql {
    if (value.number) return sql`FALSE`;
    const alias = `e${this.aliases++}`;
    const element = { json: sql.ref(`${alias}.value`) };
    // CASE, not AND: PostgreSQL may evaluate either side of an AND first, and a scalar has no elements.
    return sql`(CASE WHEN jsonb_typeof(${value.json}) = 'array' THEN EXISTS (SELECT 1 FROM jsonb_array_elements(${value.json}) AS ${sql.id(alias)}(value) WHERE ${test(element)}) ELSE FALSE END)`;
  }

  arrayLength(value: PostgresValue): Sql {
    return sql`(CASE WHEN jsonb_typeof(${value.json}) = 'array' THEN jsonb_array_length(${value.json}) END)`;
  }

  call(fn: 'lumio_text' | 'lumio_number' | 'lumio_version' | 'lumio_date', value: PostgresValue): Sql {
    return sql`${sql.raw(fn)}(${value.json})`;
  }

  age(value: PostgresValue, now: number): Sql {
    return sql`lumio_age(${value.json}, ${now}::float8)`;
  }

  lower(text: Sql): Sql {
    return sql`lumio_lower(${text})`;
  }

  compareText(text: Sql, op: Comparison, operand: string): Sql {
    return sql`(${text}) COLLATE "C" ${sql.raw(op)} ${operand}::text`;
  }

  compareNumber(number: Sql, op: Comparison, operand: number): Sql {
    return sql`${number} ${sql.raw(op)} ${operand}::float8`;
  }

  regex(text: Sql, source: string, caseInsensitive: boolean): Sql | string {
    const translated = toPostgresPattern(source, caseInsensitive);
    if (!translated.ok) return translated.error;
    return sql`(${text}) ~ ${translated.pattern}::text`;
  }
}
