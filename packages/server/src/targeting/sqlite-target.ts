import { sql } from 'kysely';
import type { Comparison, JsonType, Sql, SqlTarget, SqlValue } from './sql-target.js';

/**
 * A value on SQLite, as its JSON functions give it: the JSON type (`json_type`:
 * 'null', 'true', 'false', 'integer', 'real', 'text', 'array', 'object'; NULL
 * when missing), the SQL value (text, number, 1/0, or JSON text for lists),
 * the JSON text, and the arguments `json_each` takes to walk it.
 */
export interface SqliteValue extends SqlValue {
  readonly type: Sql;
  readonly value: Sql;
  readonly json: Sql;
  readonly each: Sql;
}

const TYPES: Record<JsonType, Sql> = {
  string: sql`= 'text'`,
  number: sql`IN ('integer', 'real')`,
  boolean: sql`IN ('true', 'false')`,
  array: sql`= 'array'`,
  object: sql`= 'object'`,
};

/**
 * Reads and tests attributes on SQLite: its JSON functions, and the
 * JavaScript functions registered by db/dialects/sqlite-functions.ts for
 * JavaScript's coercions. Text compares in code-point order (BINARY).
 */
export class SqliteTarget implements SqlTarget<SqliteValue> {
  private aliases = 0;

  constructor(private readonly table: string) {}

  column(name: string, visible?: Sql, table = this.table): SqliteValue {
    const column = sql.ref(`${table}.${name}`);
    const value = visible ? sql`(CASE WHEN ${visible} THEN ${column} END)` : column;
    return {
      type: sql`(CASE WHEN ${value} IS NOT NULL THEN 'text' END)`,
      value,
      json: sql`json_quote(${value})`,
      each: sql`json_quote(${value})`,
    };
  }

  property(key: string, visible?: Sql, table = this.table): SqliteValue {
    const properties = sql.ref(`${table}.properties`);
    const path = jsonPath(key);
    const guard = (expression: Sql) => (visible ? sql`(CASE WHEN ${visible} THEN ${expression} END)` : expression);
    const json = guard(sql`(${properties} -> ${path})`);
    return {
      type: guard(sql`json_type(${properties}, ${path})`),
      value: guard(sql`(${properties} ->> ${path})`),
      json,
      each: visible ? json : sql`${properties}, ${path}`,
    };
  }

  sourceIs(sourceKey: string, source: string, table = this.table): Sql {
    return sql`(${sql.ref(`${table}.sources`)} ->> ${jsonPath(sourceKey)}) = ${source}`;
  }

  path(value: SqliteValue, parts: string[]): SqliteValue {
    const json = sql`lumio_path(${value.type}, ${value.value}, ${JSON.stringify(parts)})`;
    return { type: sql`json_type(${json})`, value: sql`(${json} ->> '$')`, json, each: json };
  }

  numberValue(expression: Sql): SqliteValue {
    return { type: sql`'real'`, value: expression, json: expression, each: expression, known: 'number' };
  }

  isNull(value: SqliteValue): Sql {
    if (value.known) return sql`FALSE`;
    return sql`(${value.type} IS NULL OR ${value.type} = 'null')`;
  }

  typeIs(value: SqliteValue, type: JsonType): Sql {
    if (value.known) return type === 'number' ? sql`TRUE` : sql`FALSE`;
    return sql`${value.type} ${TYPES[type]}`;
  }

  text(value: SqliteValue): Sql {
    return value.value;
  }

  num(value: SqliteValue): Sql {
    return value.value;
  }

  isTrue(value: SqliteValue): Sql {
    return sql`${value.type} = 'true'`;
  }

  equals(value: SqliteValue, scalar: string | number | boolean): Sql {
    if (typeof scalar === 'boolean') return this.isType(value, scalar ? 'true' : 'false');
    const type = typeof scalar === 'string' ? 'string' : 'number';
    if (value.known) return type === 'number' ? sql`${value.value} = ${scalar}` : sql`FALSE`;
    return sql`(${this.typeIs(value, type)} AND ${value.value} = ${scalar})`;
  }

  inList(value: SqliteValue, strings: readonly string[], numbers: readonly number[], booleans: readonly boolean[]): Sql {
    const tests: Sql[] = [];
    // One bound JSON list per type, however long the list: no limit on bound parameters to meet.
    if (strings.length > 0)
      tests.push(sql`(${this.typeIs(value, 'string')} AND ${value.value} IN (SELECT value FROM json_each(${JSON.stringify(strings)})))`);
    if (numbers.length > 0)
      tests.push(sql`(${this.typeIs(value, 'number')} AND ${value.value} IN (SELECT value FROM json_each(${JSON.stringify(numbers)})))`);
    for (const item of new Set(booleans)) tests.push(this.isType(value, item ? 'true' : 'false'));
    return tests.length === 0 ? sql`FALSE` : sql`(${sql.join(tests, sql` OR `)})`;
  }

  jsonEquals(value: SqliteValue, json: string): Sql {
    if (value.known) return sql`FALSE`;
    // `->` gives back the stored text of a list, which JSON.stringify wrote: equal lists have equal text.
    return sql`${value.json} = ${json}`;
  }

  someElement(value: SqliteValue, test: (element: SqliteValue) => Sql): Sql {
    if (value.known) return sql`FALSE`;
    const alias = `e${this.aliases++}`;
    const column = (name: string) => sql.ref(`${alias}.${name}`);
    const element: SqliteValue = {
      type: column('type'),
      value: column('value'),
      json: sql`(CASE ${column('type')} WHEN 'text' THEN json_quote(${column('value')}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' WHEN 'null' THEN 'null' ELSE ${column('value')} END)`,
      each: column('value'),
    };
    return sql`(CASE WHEN ${value.type} = 'array' THEN EXISTS (SELECT 1 FROM json_each(${value.each}) AS ${sql.id(alias)} WHERE ${test(element)}) ELSE FALSE END)`;
  }

  arrayLength(value: SqliteValue): Sql {
    return sql`json_array_length(${value.each})`;
  }

  call(fn: 'lumio_text' | 'lumio_number' | 'lumio_version' | 'lumio_date', value: SqliteValue): Sql {
    return sql`${sql.raw(fn)}(${value.type}, ${value.value})`;
  }

  age(value: SqliteValue, now: number): Sql {
    return sql`lumio_age(${value.type}, ${value.value}, ${now})`;
  }

  lower(text: Sql): Sql {
    return sql`lumio_lower(${text})`;
  }

  compareText(text: Sql, op: Comparison, operand: string): Sql {
    return sql`${text} ${sql.raw(op)} ${operand}`;
  }

  compareNumber(number: Sql, op: Comparison, operand: number): Sql {
    return sql`${number} ${sql.raw(op)} ${operand}`;
  }

  regex(text: Sql, source: string, caseInsensitive: boolean): Sql {
    return sql`lumio_regexp(${source}, ${caseInsensitive ? 1 : 0}, ${text})`;
  }

  private isType(value: SqliteValue, jsonType: 'true' | 'false'): Sql {
    if (value.known) return sql`FALSE`;
    return sql`${value.type} = ${sql.lit(jsonType)}`;
  }
}

/** An SQLite JSON path to a key. Keys (property names, `properties.<name>`) hold no double quote, which such a path could not express. */
function jsonPath(key: string): string {
  if (key.includes('"')) throw new Error(`attribute names cannot contain '"': ${key}`);
  return `$."${key}"`;
}
