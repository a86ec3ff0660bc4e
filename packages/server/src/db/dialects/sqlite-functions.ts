import type SQLite from 'better-sqlite3';
import { ageAt, checkPattern, dateValue, paddedVersion, readPath, type SafePattern } from '@lumio/targeting';
import { levelAt } from '../../interests/interest-math.js';

// NOTE: the same functions, with the same names and meaning, are created on
// PostgreSQL by migrations/0003-targeting-functions.ts; src/targeting/condition-sql.ts
// compiles conditions to calls of them. Here they are the targeting package's own
// code, so SQLite answers exactly as the JavaScript predicate does.
//
// A value travels as the pair SQLite's JSON functions give for it: its JSON type
// (json_type / json_each.type: 'null', 'true', 'false', 'integer', 'real',
// 'text', 'array', 'object', or NULL when missing) and its SQL value (text,
// number, or JSON text for arrays and objects).

const PATTERN_CACHE_SIZE = 256;

/** Registers the functions targeting conditions compile to on an SQLite connection. */
export function registerTargetingFunctions(connection: SQLite.Database): void {
  const deterministic = { deterministic: true, varargs: false } as const;
  const patterns = new Map<string, SafePattern>();

  connection.function('lumio_text', deterministic, (type: unknown, value: unknown) => `${fromSql(type, value) as string}`);
  connection.function('lumio_number', deterministic, (type: unknown, value: unknown) => finiteOrInfinite(Number(fromSql(type, value))));
  connection.function('lumio_version', deterministic, (type: unknown, value: unknown) => paddedVersion(fromSql(type, value)));
  connection.function('lumio_date', deterministic, (type: unknown, value: unknown) => finiteOrInfinite(dateValue(fromSql(type, value))));
  connection.function('lumio_age', deterministic, (type: unknown, value: unknown, now: unknown) => {
    const age = ageAt(fromSql(type, value), Number(now));
    // NaN (a date outside Date's range): the caller tests for that case itself, as on PostgreSQL.
    return age === null || Number.isNaN(age) ? null : age;
  });
  connection.function('lumio_lower', deterministic, (text: unknown) => (typeof text === 'string' ? text.toLowerCase() : null));
  connection.function('lumio_path', deterministic, (type: unknown, value: unknown, parts: unknown) => {
    const found = readPath(fromSql(type, value), JSON.parse(String(parts)) as string[]);
    return found === null ? null : JSON.stringify(found);
  });
  // An interest row's 0–1 level (interests/interest-level-sql.ts): JavaScript's own arithmetic, so SQL agrees to the bit.
  connection.function('lumio_interest_level', deterministic, (score: unknown, updatedAt: unknown, now: unknown, halfLifeDays: unknown) =>
    levelAt(Number(score), Number(updatedAt), Number(now), Number(halfLifeDays)),
  );
  connection.function('lumio_regexp', deterministic, (source: unknown, caseInsensitive: unknown, text: unknown) => {
    const key = `${caseInsensitive ? 'i' : '-'}${String(source)}`;
    let pattern = patterns.get(key);
    if (!pattern) {
      const checked = checkPattern(String(source), Boolean(caseInsensitive));
      // Conditions are validated before they are compiled to SQL; a pattern refused here never came from one.
      if (typeof checked === 'string') throw new Error(`lumio_regexp: ${checked}`);
      pattern = checked;
      if (patterns.size >= PATTERN_CACHE_SIZE) patterns.delete(patterns.keys().next().value!);
      patterns.set(key, pattern);
    }
    return pattern.test(text) ? 1 : 0;
  });
}

/** The JavaScript value of an SQLite (JSON type, SQL value) pair. */
function fromSql(type: unknown, value: unknown): unknown {
  switch (type) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'integer':
    case 'real':
      return Number(value);
    case 'text':
      return value;
    case 'array':
    case 'object':
      return JSON.parse(String(value)) as unknown;
    default:
      return null;
  }
}

// SQLite has no NaN (it becomes NULL, which is what SQL conditions expect for "not a number").
function finiteOrInfinite(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}
