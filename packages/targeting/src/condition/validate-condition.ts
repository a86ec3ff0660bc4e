import { ConditionError, ConditionLimits, type Condition, type ConditionIssue, type ConditionIssueCode } from './condition.js';
import {
  FIELD_OPERATORS,
  FORBIDDEN_PATH_SEGMENTS,
  LOGICAL_OPERATORS,
  REFUSED_OPERATORS,
  TYPE_NAMES,
  isFieldOperator,
  isOperatorObject,
  type OperandKind,
} from './operators.js';
import { toPostgresPattern } from '../regex/postgres-pattern.js';
import { parseDateOperand } from '../values/dates.js';
import { INTERESTS_ATTRIBUTE, TOPIC_KEY, interestTopic } from './interests.js';
import { companyPath } from './companies.js';

/** The outcome of {@link validateCondition}: the condition and the segments it names, or every issue found (up to 20). */
export type ConditionValidation = { ok: true; condition: Condition; segments: string[] } | { ok: false; issues: ConditionIssue[] };

const MAX_ISSUES = 20;
const SEGMENT_ID = /^seg_[A-Za-z0-9_-]{1,64}$/;
const PATH_SEGMENT = /^[\p{L}\p{N}_$ :-]+$/u;

/**
 * Checks a condition written by a person or sent to the API: its shape, every
 * operator and operand, paths (no prototype access), patterns (no
 * backreferences or lookaround, bounded length) and size. Issues say where,
 * e.g. `$or[1].plan.$in: $in takes a list`.
 *
 * @example validateCondition({ plan: { $in: ['free', 'trial'] } }) // { ok: true, … }
 */
export function validateCondition(input: unknown): ConditionValidation {
  const state: State = { issues: [], nodes: 0, segments: new Set() };
  if (!isPlainObject(input)) {
    add(state, '', 'invalid_shape', `a condition must be an object such as { "plan": "free" }, not ${describe(input)}.`);
  } else {
    checkCondition(state, input, '', 1);
  }
  if (state.issues.length > 0) return { ok: false, issues: state.issues.slice(0, MAX_ISSUES) };
  return { ok: true, condition: input as Condition, segments: [...state.segments] };
}

interface State {
  issues: ConditionIssue[];
  nodes: number;
  segments: Set<string>;
}

function add(state: State, path: string, code: ConditionIssueCode, message: string): void {
  state.issues.push({ path, code, message });
}

function enter(state: State, path: string, depth: number): boolean {
  state.nodes++;
  if (depth > ConditionLimits.maxDepth) {
    add(state, path, 'too_complex', `conditions nest at most ${ConditionLimits.maxDepth} levels deep.`);
    return false;
  }
  if (state.nodes > ConditionLimits.maxNodes) {
    if (state.nodes === ConditionLimits.maxNodes + 1)
      add(state, path, 'too_complex', `a condition has at most ${ConditionLimits.maxNodes} parts; split it into segments.`);
    return false;
  }
  return state.issues.length < MAX_ISSUES;
}

/** `onAttributes`: the condition reads a user's attributes (false inside `$elemMatch`, where paths are into an element). */
function checkCondition(state: State, condition: Record<string, unknown>, path: string, depth: number, onAttributes = true): void {
  if (!enter(state, path, depth)) return;
  for (const [key, value] of Object.entries(condition)) {
    const at = join(path, key);
    if (key.startsWith('$')) checkLogical(state, key, value, at, depth, onAttributes);
    // An interest path is checked as one (its topic a topic key), so a bad topic says so rather than "not a path".
    else if (
      onAttributes && interestTopic(key) !== undefined
        ? checkInterestPath(state, key, at)
        : onAttributes && companyPath(key) !== undefined
          ? checkCompanyPath(state, key, at)
          : checkPath(state, key, at)
    )
      checkValueCondition(state, value, at, depth + 1);
  }
}

// NOTE: as isPropertyKey in packages/protocol (a company's keys follow the user property rules): at most 64 characters.
const MAX_COMPANY_KEY = 64;

/** `company.<key>` names one company attribute: `id`, `name` or a property key (then, optionally, a path into its value). */
function checkCompanyPath(state: State, key: string, at: string): boolean {
  const { key: name } = companyPath(key)!;
  if (name === '' || [...name].length > MAX_COMPANY_KEY || !PATH_SEGMENT.test(name)) {
    add(
      state,
      at,
      'invalid_path',
      `"${key.slice(0, 80)}" is not a company attribute: write "company." and a company property key (at most ${MAX_COMPANY_KEY} letters, digits, spaces, "_", "-", "$" or ":"), "company.id" or "company.name", such as "company.plan".`,
    );
    return false;
  }
  return checkPath(state, key, at);
}

/** `interests.<topic>` names one topic by its key; `interests` alone is not an attribute. */
function checkInterestPath(state: State, key: string, at: string): boolean {
  const topic = interestTopic(key)!;
  if (topic === '') {
    add(state, at, 'invalid_topic', `"${INTERESTS_ATTRIBUTE}" holds interest levels by topic: name one, such as "interests.billing".`);
    return false;
  }
  // A key of the levels object like any other, except this one, which no plain object can hold as its own.
  if (topic === '__proto__') {
    add(state, at, 'invalid_topic', '"__proto__" cannot be a topic.');
    return false;
  }
  if (!TOPIC_KEY.test(topic)) {
    add(
      state,
      at,
      'invalid_topic',
      `"${topic.slice(0, 80)}" is not a topic key: topics are written in lower-case letters, digits, "-" and "_" (at most 64), such as "interests.billing".`,
    );
    return false;
  }
  return true;
}

function checkLogical(state: State, key: string, value: unknown, at: string, depth: number, onAttributes: boolean): void {
  if (!(LOGICAL_OPERATORS as readonly string[]).includes(key)) {
    const refused = REFUSED_OPERATORS[key];
    if (refused) return add(state, at, 'unknown_operator', refused);
    if (isFieldOperator(key))
      return add(state, at, 'unknown_operator', `${key} applies to an attribute: write { "attribute": { "${key}": … } }.`);
    return add(
      state,
      at,
      'unknown_operator',
      `${key} is not an operator here; at the top of a condition use $and, $or, $nor, $not or $segment.`,
    );
  }
  if (key === '$segment') {
    if (typeof value !== 'string' || !SEGMENT_ID.test(value))
      return add(state, at, 'invalid_operand', '$segment takes the id of a saved segment, such as "seg_3f9a…".');
    state.segments.add(value);
    return;
  }
  if (key === '$not') {
    if (!isPlainObject(value)) return add(state, at, 'invalid_operand', '$not takes a condition object.');
    return checkCondition(state, value, at, depth + 1, onAttributes);
  }
  if (!Array.isArray(value)) return add(state, at, 'invalid_operand', `${key} takes a list of conditions.`);
  if (value.length > ConditionLimits.maxListLength)
    return add(state, at, 'too_complex', `${key} has ${value.length} conditions; the limit is ${ConditionLimits.maxListLength}.`);
  value.forEach((item, index) => {
    const itemPath = `${at}[${index}]`;
    if (!isPlainObject(item)) add(state, itemPath, 'invalid_shape', `each item of ${key} must be a condition object.`);
    else checkCondition(state, item, itemPath, depth + 1, onAttributes);
  });
}

function checkPath(state: State, key: string, at: string): boolean {
  if (key.length > ConditionLimits.maxPathLength) {
    add(state, at, 'invalid_path', `attribute paths are at most ${ConditionLimits.maxPathLength} characters long.`);
    return false;
  }
  for (const segment of key.split('.')) {
    if (FORBIDDEN_PATH_SEGMENTS.has(segment)) {
      add(state, at, 'invalid_path', `"${segment}" is not allowed in an attribute path.`);
      return false;
    }
    if (!PATH_SEGMENT.test(segment)) {
      add(
        state,
        at,
        'invalid_path',
        `"${key}" is not an attribute path: use names separated by single dots, such as "plan" or "company.size".`,
      );
      return false;
    }
  }
  return true;
}

/** The value side: a literal to compare with, or an operator object. */
function checkValueCondition(state: State, value: unknown, at: string, depth: number): void {
  if (!enter(state, at, depth)) return;
  if (!isOperatorObject(value)) return checkLiteral(state, value, at);
  for (const [op, operand] of Object.entries(value)) {
    const opPath = join(at, op);
    if (!isFieldOperator(op)) {
      const refused = REFUSED_OPERATORS[op];
      add(state, opPath, 'unknown_operator', refused ?? unknownOperator(op));
      continue;
    }
    checkOperand(state, op, FIELD_OPERATORS[op], operand, opPath, depth);
  }
}

/** "$gtee is not an operator; did you mean $gte?": a typo names the operator it was probably meant to be. */
function unknownOperator(op: string): string {
  const near =
    Object.keys(FIELD_OPERATORS).find((known) => editDistance(op.toLowerCase(), known.toLowerCase()) <= 1) ??
    Object.keys(FIELD_OPERATORS).find((known) => editDistance(op.toLowerCase(), known.toLowerCase()) === 2);
  const guess = near ? `; did you mean ${near}?` : '.';
  return `${op.slice(0, 40)} is not an operator${guess} The operators are listed in the targeting guide (docs/targeting.md).`;
}

// Levenshtein distance, for operator names only (both short: the name is cut to 40 characters).
function editDistance(a: string, b: string): number {
  a = a.slice(0, 40);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

function checkOperand(state: State, op: string, kind: OperandKind, operand: unknown, at: string, depth: number): void {
  const fail = (message: string) => add(state, at, 'invalid_operand', message);
  switch (kind) {
    case 'scalar':
      if (!isScalar(operand)) return fail(`${op} takes a string, number, boolean or null.`);
      return checkString(state, operand, at);
    case 'comparable':
      if (typeof operand !== 'string' && !isFiniteNumber(operand)) return fail(`${op} takes a number or a string.`);
      return checkString(state, operand, at);
    case 'scalar-list':
      if (!Array.isArray(operand)) return fail(`${op} takes a list, such as ["free", "trial"].`);
      if (operand.length > ConditionLimits.maxListLength)
        return add(state, at, 'too_complex', `${op} lists at most ${ConditionLimits.maxListLength} values.`);
      operand.forEach((item, index) => {
        if (!isScalar(item)) add(state, `${at}[${index}]`, 'invalid_operand', `${op} lists strings, numbers, booleans or null.`);
        else checkString(state, item, `${at}[${index}]`);
      });
      return;
    case 'value-list':
      if (!Array.isArray(operand)) return fail(`${op} takes a list.`);
      if (operand.length > ConditionLimits.maxListLength)
        return add(state, at, 'too_complex', `${op} lists at most ${ConditionLimits.maxListLength} values.`);
      operand.forEach((item, index) => checkValueCondition(state, item, `${at}[${index}]`, depth + 1));
      return;
    case 'boolean':
      if (typeof operand !== 'boolean') return fail(`${op} takes true or false.`);
      return;
    case 'pattern': {
      if (typeof operand !== 'string') return fail(`${op} takes a regular expression as a string, such as "^acme".`);
      // Checked as PostgreSQL will run it (which includes checkPattern): a
      // pattern SQL cannot run exactly is refused here, on every database, not
      // accepted on SQLite and refused (or a 500) later on PostgreSQL.
      const checked = toPostgresPattern(operand, op === '$regexi');
      if (!checked.ok) add(state, at, 'invalid_regex', checked.error);
      return;
    }
    case 'type-name':
      if (typeof operand !== 'string' || !(TYPE_NAMES as readonly string[]).includes(operand))
        return fail(`${op} takes one of ${TYPE_NAMES.join(', ')}.`);
      return;
    case 'value-condition':
      if (op === '$age' && !isFiniteNumber(operand) && !isNumericOperatorObject(operand))
        return fail('$age takes a number of years or numeric comparisons, such as { "$gte": 18 }.');
      return checkValueCondition(state, operand, at, depth + 1);
    case 'element-condition':
      if (isOperatorObject(operand)) return checkValueCondition(state, operand, at, depth + 1);
      if (!isPlainObject(operand)) return fail(`${op} takes an operator object or a condition on each element.`);
      return checkCondition(state, operand, at, depth + 1, false);
    case 'version':
      if (typeof operand !== 'string' || operand.length === 0 || operand.length > 64) return fail(`${op} takes a version such as "2.1.0".`);
      return;
    case 'date':
      if (parseDateOperand(operand) === null)
        return fail(
          `${op} takes a date ("2026-01-31", an ISO time with a zone), epoch milliseconds, or a time from now such as "-30d" (s, m, h, d, w).`,
        );
      return;
  }
}

function checkLiteral(state: State, value: unknown, at: string): void {
  if (isScalar(value)) return checkString(state, value, at);
  if (Array.isArray(value) || isPlainObject(value)) {
    // Compared as a whole (JSON): bound its size like any other operand.
    const json = JSON.stringify(value);
    if (json.length > ConditionLimits.maxStringLength)
      add(state, at, 'too_complex', `a literal list or object is at most ${ConditionLimits.maxStringLength} characters of JSON.`);
    if (!isJson(value))
      add(state, at, 'invalid_operand', 'literal values must be JSON: strings, numbers, booleans, null, lists and objects.');
    return;
  }
  add(
    state,
    at,
    'invalid_operand',
    `${describe(value)} cannot be a condition value; use a string, number, boolean, null, list or operator object.`,
  );
}

function checkString(state: State, value: unknown, at: string): void {
  if (typeof value !== 'string') return;
  if (value.length > ConditionLimits.maxStringLength)
    add(state, at, 'too_complex', `strings in conditions are at most ${ConditionLimits.maxStringLength} characters long.`);
  // No stored value can hold these (the server refuses them), and PostgreSQL cannot even compare with them.
  else if (value.includes('\u0000') || !value.isWellFormed())
    add(state, at, 'invalid_operand', 'strings in conditions cannot contain U+0000 or an unpaired surrogate.');
}

const NUMERIC_OPS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$not']);
function isNumericOperatorObject(value: unknown): boolean {
  return isOperatorObject(value) && Object.keys(value).every((k) => NUMERIC_OPS.has(k));
}

function isScalar(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || isFiniteNumber(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function isJson(value: unknown): boolean {
  if (isScalar(value)) return true;
  if (Array.isArray(value)) return value.every(isJson);
  if (isPlainObject(value)) return Object.entries(value).every(([k, v]) => !FORBIDDEN_PATH_SEGMENTS.has(k) && isJson(v));
  return false;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object that is not plain JSON';
  return `a ${typeof value}`;
}

/** The condition, validated; a {@link ConditionError} listing every problem otherwise. */
export function checkedCondition(input: unknown): Condition {
  const result = validateCondition(input);
  if (!result.ok) throw new ConditionError(result.issues);
  return result.condition;
}
