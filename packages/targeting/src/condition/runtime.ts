// What compiled predicates call for the operators that are more than an
// expression. Each mirrors GrowthBook's evaluator (mongrule.ts) so results agree.
import { ageAt, dateValue } from '../values/dates.js';
import { paddedVersion } from '../values/padded-version.js';
import { COMPANIES_ATTRIBUTE, type TargetedCompany } from './companies.js';

/** A test of one value (the value side of a condition: `'free'`, `{ $gt: 5 }`). */
export type ValuePredicate = (value: unknown, now?: number) => boolean;

/** The attribute at a dotted path: own properties only, missing (or an inherited method) as null. */
export function readPath(root: unknown, parts: readonly string[]): unknown {
  let current = root;
  for (const part of parts) {
    if (current !== null && typeof current === 'object' && Object.hasOwn(current, part))
      current = (current as Record<string, unknown>)[part];
    else return null;
  }
  return current === undefined ? null : current;
}

/** `value + ""`, GrowthBook's implicit string equality. */
export function asText(value: unknown): string {
  return `${value as string}`;
}

/** `$in`: the value is one of the list, or (for an array value) shares an element with it. */
export function isIn(value: unknown, list: readonly unknown[]): boolean {
  if (Array.isArray(value)) return value.some((element) => list.includes(element));
  return list.includes(value);
}

/** `$ini`: {@link isIn} ignoring the case of strings; `lowered` is the list with its strings lower-cased. */
export function isInFolded(value: unknown, lowered: readonly unknown[]): boolean {
  const fold = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
  if (Array.isArray(value)) return value.some((element) => lowered.includes(fold(element)));
  return lowered.includes(fold(value));
}

/** `$all`: the value is an array, and each test matches one of its elements. */
export function matchesAll(value: unknown, tests: readonly ValuePredicate[], now: number | undefined): boolean {
  if (!Array.isArray(value)) return false;
  return tests.every((test) => value.some((element) => test(element, now)));
}

/** `$elemMatch`: some non-null element passes. */
export function someElement(value: unknown, test: ValuePredicate, now: number | undefined): boolean {
  if (!Array.isArray(value)) return false;
  for (const element of value) if ((element ?? null) !== null && test(element, now)) return true;
  return false;
}

/** `$type`: GrowthBook's type names. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' || type === 'object' || type === 'undefined' ? type : 'unknown';
}

/** Exact equality with an array or object condition, as GrowthBook compares them (JSON text). */
export function sameJson(value: unknown, json: string): boolean {
  return JSON.stringify(value) === json;
}

/** `interests.<topic>` on a user's attributes: the level (0–1), 0 when the person has none for that topic. */
export function interestLevel(attributes: unknown, topic: string): number {
  if (attributes === null || typeof attributes !== 'object' || !Object.hasOwn(attributes, 'interests')) return 0;
  const levels = (attributes as { interests: unknown }).interests;
  if (levels === null || typeof levels !== 'object' || !Object.hasOwn(levels, topic)) return 0;
  const level = (levels as Record<string, unknown>)[topic];
  return typeof level === 'number' && Number.isFinite(level) ? level : 0;
}

/**
 * `company.<key>` on a user's attributes: whether some company in
 * `attributes['@companies']` has a value at `key` (then `rest`) passing
 * `test`. `id` and `name` are the company's own, never a property of that
 * name; a missing value is null. No companies: false, whatever the test.
 */
export function someCompany(
  attributes: unknown,
  key: string,
  rest: readonly string[],
  test: ValuePredicate,
  now: number | undefined,
): boolean {
  if (attributes === null || typeof attributes !== 'object' || !Object.hasOwn(attributes, COMPANIES_ATTRIBUTE)) return false;
  const companies = (attributes as Record<string, unknown>)[COMPANIES_ATTRIBUTE];
  if (!Array.isArray(companies)) return false;
  for (const company of companies as unknown[]) {
    if (company === null || typeof company !== 'object') continue;
    const { id, name, properties } = company as Partial<TargetedCompany>;
    let value: unknown;
    if (key === 'id') value = id;
    else if (key === 'name') value = name;
    else value = readPath(properties, [key]);
    value = rest.length > 0 ? readPath(value, rest) : (value ?? null);
    if (test(value, now)) return true;
  }
  return false;
}

export const runtime = {
  readPath,
  asText,
  isIn,
  isInFolded,
  matchesAll,
  someElement,
  typeName,
  sameJson,
  paddedVersion,
  dateValue,
  ageAt,
  interestLevel,
  someCompany,
};

/** The helper object compiled code receives as `h`. */
export type Runtime = typeof runtime;
