import type { RawBuilder } from 'kysely';

/** A fragment of SQL; values inside are bound parameters. */
export type Sql = RawBuilder<unknown>;

/** The JSON types a stored value may have (null apart: the compiler decides null cases in JavaScript). */
export type JsonType = 'string' | 'number' | 'boolean' | 'array' | 'object';

/** An ordering comparison, or text equality / inequality. */
export type Comparison = '<' | '<=' | '>' | '>=' | '=' | '<>';

/** A value as the compiler sees it; each dialect keeps its own SQL pieces in `parts`. */
export interface SqlValue {
  /** Set when the value is an SQL number that is never null (a list length, an age). */
  readonly known?: 'number';
}

/**
 * What condition-sql.ts needs of a dialect to read attributes and test them:
 * one implementation per engine (sqlite-target.ts, postgres-target.ts). Every
 * method but `isNull` may assume the value is not null; the compiler settles
 * null values itself.
 */
export interface SqlTarget<V extends SqlValue> {
  /**
   * A text column of the users table, as a JSON string (null when unset, or when `visible` does not hold).
   * `table`: another table (alias) of the same shape instead, such as a company row.
   */
  column(name: string, visible?: Sql, table?: string): V;
  /** A custom property, read from the `properties` JSON column (of `table` when given). */
  property(key: string, visible?: Sql, table?: string): V;
  /** Whether the `sources` JSON column (of `table` when given) says `sourceKey` came from `source`. */
  sourceIs(sourceKey: string, source: string, table?: string): Sql;
  /** The value at a dotted path below `value` (own keys of objects, `length` and indexes of lists). */
  path(value: V, parts: string[]): V;
  /** A number computed in SQL (never null). */
  numberValue(expression: Sql): V;
  isNull(value: V): Sql;
  typeIs(value: V, type: JsonType): Sql;
  /** The text of a string value. */
  text(value: V): Sql;
  /** The number of a number value. */
  num(value: V): Sql;
  /** Whether a boolean value is true. */
  isTrue(value: V): Sql;
  /** Strict equality (`===`) with a string, number or boolean. */
  equals(value: V, scalar: string | number | boolean): Sql;
  /** Strict membership of a scalar value in a list (`includes`), the list split by type. */
  inList(value: V, strings: readonly string[], numbers: readonly number[], booleans: readonly boolean[]): Sql;
  /** Whether the value's JSON text is `json` (lists). */
  jsonEquals(value: V, json: string): Sql;
  /** Whether the value is a list with an element passing `test`. */
  someElement(value: V, test: (element: V) => Sql): Sql;
  /** The length of a list value. */
  arrayLength(value: V): Sql;
  /** One of the JavaScript coercions: String(v), Number(v) (NULL for NaN), paddedVersion(v), dateValue(v) (NULL for NaN). */
  call(fn: 'lumio_text' | 'lumio_number' | 'lumio_version' | 'lumio_date', value: V): Sql;
  /** ageAt(v, now), NULL when it is null or NaN. */
  age(value: V, now: number): Sql;
  /** toLowerCase() of a text. */
  lower(text: Sql): Sql;
  compareText(text: Sql, op: Comparison, operand: string): Sql;
  compareNumber(number: Sql, op: Comparison, operand: number): Sql;
  /** Whether a pattern (validated) matches a text; returns an error message when this dialect cannot run it exactly. */
  regex(text: Sql, source: string, caseInsensitive: boolean): Sql | string;
}
