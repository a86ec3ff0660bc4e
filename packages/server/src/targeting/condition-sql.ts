import { sql, type RawBuilder, type SqlBool } from 'kysely';
import {
  ConditionError,
  checkedCondition,
  compileCondition,
  companyPath,
  interestTopic,
  paddedVersion,
  parseDateOperand,
  resolveSegment,
  type Condition,
} from '@lumio/targeting';
import type { DialectName } from '../db/dialects/dialect-adapter.js';
import { PostgresTarget } from './postgres-target.js';
import { SqliteTarget } from './sqlite-target.js';
import type { Comparison, Sql, SqlTarget, SqlValue } from './sql-target.js';
import { TRAIT_ATTRIBUTES, interestPartition, type AttributesView } from './user-attributes.js';
import { interestLevelSql } from '../interests/interest-level-sql.js';

/** How {@link conditionToSql} compiles a condition. */
export interface ConditionSqlOptions {
  dialect: DialectName;
  /** Epoch ms that relative dates (`-30d`) and ages are counted from. */
  now: number;
  /** Which stored values count (see {@link AttributesView}); default `all`. */
  view?: AttributesView;
  /** The condition of a saved segment, or undefined when there is none (compiling then fails). */
  segment?: (id: string) => Condition | undefined;
  /**
   * The name (or alias) of the users table in the query; default `users`. Any
   * table with the users' columns will do (event_snapshots): `company.<key>`
   * reads the memberships of its `workspace_id` and `user_id`.
   */
  table?: string;
  /**
   * How `interests.<topic>` reads levels: the workspace's half-life (days) and
   * the moment (epoch ms) levels are read at. Required when the condition
   * reads an interest (compiling fails without it, rather than guess).
   */
  interests?: { halfLifeDays: number; now: number } | undefined;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Aliases of `company.<key>`'s subquery; never nested in one another, so one pair serves every such test.
const MEMBER = 'lumio_member';
const COMPANY = 'lumio_company';
// Date's range: beyond it ageAt gives NaN rather than null.
const MIN_DATE = -8.64e15;

/**
 * Compiles a targeting condition into an SQL predicate over the users table,
 * for counting an audience or filtering analytics in the database. It matches
 * exactly the users for whom `compileCondition(condition, { segment })`
 * matches `userAttributes(user, view)` at `now` (see docs/targeting.md, "In
 * SQL", for the few documented differences). Values are always bound
 * parameters. Throws a {@link ConditionError} for an invalid condition, an
 * unknown segment, a segment cycle, or a pattern PostgreSQL cannot run exactly.
 *
 * @example
 * const audience = await db
 *   .selectFrom('users')
 *   .select((eb) => eb.fn.countAll().as('count'))
 *   .where('workspace_id', '=', workspaceId)
 *   .where(conditionToSql({ plan: 'free', seats: { $gte: 5 } }, { dialect: adapter.name, now: Date.now() }))
 *   .executeTakeFirstOrThrow();
 */
export function conditionToSql(condition: unknown, options: ConditionSqlOptions): RawBuilder<SqlBool> {
  const table = options.table ?? 'users';
  if (!IDENTIFIER.test(table)) throw new Error(`conditionToSql: "${table}" is not a table name or alias.`);
  const checked = checkedCondition(condition);
  const target = options.dialect === 'sqlite' ? new SqliteTarget(table) : new PostgresTarget(table);
  const compiler = new SqlCompiler(target as SqlTarget<SqlValue>, options);
  // Parenthesised: Kysely joins .where() calls with AND and adds no brackets around raw SQL.
  return sql<SqlBool>`(${compiler.condition(checked, { kind: 'user' }, '', [])})`;
}

type Root<V> = { kind: 'user' } | { kind: 'element'; value: V };

interface ValueContext {
  path: string;
  stack: string[];
  /** Strings compare ignoring case ($alli items). */
  insensitive: boolean;
}

const TRUE = sql`TRUE`;
const FALSE = sql`FALSE`;
const TRAITS = new Set<string>(TRAIT_ATTRIBUTES);
const ORDERING = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' } as const;
const VERSIONS = { $veq: '=', $vne: '<>', $vgt: '>', $vgte: '>=', $vlt: '<', $vlte: '<=' } as const;

class SqlCompiler<V extends SqlValue> {
  private readonly view: AttributesView;

  constructor(
    private readonly target: SqlTarget<V>,
    private readonly options: ConditionSqlOptions,
  ) {
    this.view = options.view ?? 'all';
  }

  condition(condition: Condition, root: Root<V>, path: string, stack: string[]): Sql {
    const parts: Sql[] = [];
    for (const [key, value] of Object.entries(condition)) {
      const at = path ? `${path}.${key}` : key;
      switch (key) {
        case '$and':
        case '$or':
        case '$nor': {
          const items = (value as Condition[]).map((item, i) => this.condition(item, root, `${at}[${i}]`, stack));
          // As GrowthBook: an empty $and or $or passes, an empty $nor fails.
          if (items.length === 0) parts.push(key === '$nor' ? FALSE : TRUE);
          else {
            const joined = balanced(items, key === '$and' ? sql` AND ` : sql` OR `);
            parts.push(key === '$nor' ? sql`(NOT ${joined})` : joined);
          }
          break;
        }
        case '$not':
          parts.push(sql`(NOT ${this.condition(value as Condition, root, at, stack)})`);
          break;
        case '$segment':
          parts.push(this.segment(value as string, root, at, stack));
          break;
        default: {
          const company = root.kind === 'user' ? companyPath(key) : undefined;
          const context = { path: at, stack, insensitive: false };
          parts.push(
            company ? this.someCompany(company.key, company.rest, value, context) : this.value(value, this.read(key, root), context),
          );
        }
      }
    }
    if (parts.length === 0) return TRUE;
    return parts.length === 1 ? parts[0]! : balanced(parts, sql` AND `);
  }

  private segment(id: string, root: Root<V>, path: string, stack: string[]): Sql {
    return this.condition(resolveSegment(id, stack, this.options.segment), root, path, [...stack, id]);
  }

  /** The attribute at a path: a column or a property of the user (as the view allows), or inside a list element. */
  private read(path: string, root: Root<V>): V {
    const parts = path.split('.');
    if (root.kind === 'element') return this.target.path(root.value, parts);
    const topic = interestTopic(path);
    if (topic !== undefined) return this.interest(topic);
    const [name, ...rest] = parts as [string, ...string[]];
    const visible = (sourceKey: string) => (this.view === 'all' ? undefined : this.target.sourceIs(sourceKey, this.view));
    // NOTE: as userAttributes: traits, userId and trust from their columns, never from a property of that name.
    let value: V;
    if (name === 'userId') value = this.target.column('user_id');
    else if (name === 'trust') value = this.target.column('trust');
    else if (TRAITS.has(name)) value = this.target.column(name, visible(name));
    else value = this.target.property(name, visible(`properties.${name}`));
    return rest.length > 0 ? this.target.path(value, rest) : value;
  }

  /**
   * `company.<key>`: some company the user belongs to (a membership the view
   * counts) has a value passing the test, as `someCompany` in the JavaScript
   * runtime: `id` and `name` from their columns, anything else a property;
   * values the view does not count are missing. No membership: FALSE.
   */
  private someCompany(key: string, rest: string[], condition: unknown, context: ValueContext): Sql {
    const t = this.target;
    const table = this.options.table ?? 'users';
    // NOTE: as companyAttributes in user-attributes.ts: which memberships and values a view counts.
    const visible = (sourceKey: string) => (this.view === 'all' ? undefined : t.sourceIs(sourceKey, this.view, COMPANY));
    let value: V;
    if (key === 'id') value = t.column('company_id', undefined, COMPANY);
    else if (key === 'name') value = t.column('name', visible('name'), COMPANY);
    else value = t.property(key, visible(`properties.${key}`), COMPANY);
    if (rest.length > 0) value = t.path(value, rest);
    const ref = (name: string) => sql.ref(name);
    const membership = this.view === 'all' ? sql`` : sql` AND ${ref(`${MEMBER}.source`)} = ${this.bindText(this.view)}`;
    return sql`EXISTS (SELECT 1 FROM company_members AS ${sql.id(MEMBER)} JOIN companies AS ${sql.id(COMPANY)} ON ${ref(`${COMPANY}.workspace_id`)} = ${ref(`${MEMBER}.workspace_id`)} AND ${ref(`${COMPANY}.company_id`)} = ${ref(`${MEMBER}.company_id`)} WHERE ${ref(`${MEMBER}.workspace_id`)} = ${ref(`${table}.workspace_id`)} AND ${ref(`${MEMBER}.user_id`)} = ${ref(`${table}.user_id`)}${membership} AND ${this.value(condition, value, context)})`;
  }

  /**
   * `interests.<topic>`: the person's level in their partition of the view
   * (verified, or unverified for the `unverified` view), 0 when they have none:
   * a primary-key lookup in `interest_scores`.
   */
  private interest(topic: string): V {
    const interests = this.options.interests;
    if (!interests) throw new Error('conditionToSql: interests.<topic> needs the `interests` option (half-life and time).');
    const table = this.options.table ?? 'users';
    const row = (column: string) => sql.ref(`lumio_interest.${column}`);
    const level = interestLevelSql(this.options.dialect, row('score'), row('updated_at'), interests.now, interests.halfLifeDays);
    const viewer = sql`${this.bindText(interestPartition(this.view))} || ${sql.ref(`${table}.user_id`)}`;
    return this.target.numberValue(
      sql`COALESCE((SELECT ${level} FROM interest_scores AS lumio_interest WHERE lumio_interest.workspace_id = ${sql.ref(`${table}.workspace_id`)} AND lumio_interest.viewer = ${viewer} AND lumio_interest.topic = ${this.bindText(topic)}), 0)`,
    );
  }

  /**
   * A test of a value against the value side of a condition. What a null
   * (missing) value gives is decided here by the JavaScript predicate itself,
   * so SQL only ever tests values that are there.
   */
  private value(condition: unknown, value: V, context: ValueContext): Sql {
    const test = this.present(condition, value, context);
    if (value.known) return test;
    const onNull = this.inJavaScript(condition, null, context);
    return sql`(CASE WHEN ${this.target.isNull(value)} THEN ${onNull ? TRUE : FALSE} ELSE ${test} END)`;
  }

  /** What the JavaScript predicate says of the value side for one value. */
  private inJavaScript(condition: unknown, value: unknown, context: ValueContext): boolean {
    if (context.insensitive && typeof condition === 'string') return String(value).toLowerCase() === condition.toLowerCase();
    const segment = this.options.segment;
    return compileCondition({ v: condition } as Condition, segment ? { segment } : {})({ v: value }, this.options.now);
  }

  /** The test for a value that is not null; never NULL itself. */
  private present(condition: unknown, value: V, context: ValueContext): Sql {
    const t = this.target;
    if (typeof condition === 'string') {
      if (context.insensitive) return this.orFalse(sql`${t.lower(this.asText(value))} = ${this.bindText(condition.toLowerCase())}`);
      return this.looseText(value, condition);
    }
    // v * 1 === n
    if (typeof condition === 'number') return this.orFalse(t.compareNumber(this.asNumber(value), '=', condition));
    if (typeof condition === 'boolean') {
      const truthy = sql`(CASE WHEN ${t.typeIs(value, 'string')} THEN ${t.text(value)} <> '' WHEN ${t.typeIs(value, 'number')} THEN ${t.num(value)} <> 0 WHEN ${t.typeIs(value, 'boolean')} THEN ${t.isTrue(value)} ELSE TRUE END)`;
      return condition ? truthy : sql`(NOT ${truthy})`;
    }
    if (condition === null) return FALSE;
    if (!isOperatorObject(condition)) {
      // JSON text equality, as GrowthBook compares lists and objects. Stored values hold no objects.
      const type = Array.isArray(condition) ? 'array' : 'object';
      return this.orFalse(sql`(${t.typeIs(value, type)} AND ${t.jsonEquals(value, JSON.stringify(condition))})`);
    }
    const tests = Object.entries(condition).map(([op, operand]) =>
      this.orFalse(this.operator(op, operand, value, { ...context, path: `${context.path}.${op}`, insensitive: false })),
    );
    return tests.length === 1 ? tests[0]! : balanced(tests, sql` AND `);
  }

  private operator(op: string, operand: unknown, value: V, context: ValueContext): Sql {
    const t = this.target;
    switch (op) {
      case '$eq':
        return operand === null ? FALSE : t.equals(value, operand as string | number | boolean);
      case '$ne':
        return operand === null ? TRUE : sql`(NOT ${this.orFalse(t.equals(value, operand as string | number | boolean))})`;
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        return this.ordering(value, ORDERING[op], operand as string | number);
      case '$in':
      case '$nin':
      case '$ini':
      case '$nini': {
        const folded = op === '$ini' || op === '$nini';
        const test = this.membership(value, operand as Array<string | number | boolean | null>, folded);
        return op === '$in' || op === '$ini' ? test : sql`(NOT ${test})`;
      }
      case '$all':
      case '$alli': {
        const items = (operand as unknown[]).map((item, i) =>
          t.someElement(value, (element) =>
            this.value(item, element, { ...context, path: `${context.path}[${i}]`, insensitive: op === '$alli' }),
          ),
        );
        return sql`(${sql.join([t.typeIs(value, 'array'), ...items], sql` AND `)})`;
      }
      case '$exists':
        return operand ? TRUE : FALSE;
      case '$regex':
      case '$regexi': {
        const test = t.regex(this.asText(value), operand as string, op === '$regexi');
        if (typeof test === 'string')
          throw new ConditionError([{ path: context.path, code: 'invalid_regex', message: `this pattern cannot run in SQL: ${test}` }]);
        return test;
      }
      case '$type':
        return operand === 'null' ? FALSE : t.typeIs(value, operand as 'string');
      case '$size':
        return sql`(CASE WHEN ${t.typeIs(value, 'array')} THEN ${this.value(operand, t.numberValue(t.arrayLength(value)), context)} ELSE FALSE END)`;
      case '$elemMatch':
        return t.someElement(value, (element) => {
          const test = isOperatorObject(operand)
            ? this.present(operand, element, context)
            : this.condition(operand as Condition, { kind: 'element', value: element }, context.path, context.stack);
          // Null elements never match.
          return sql`(CASE WHEN ${t.isNull(element)} THEN FALSE ELSE ${test} END)`;
        });
      case '$not':
        return sql`(NOT ${this.orFalse(this.present(operand, value, context))})`;
      case '$veq':
      case '$vne':
      case '$vgt':
      case '$vgte':
      case '$vlt':
      case '$vlte':
        return t.compareText(t.call('lumio_version', value), VERSIONS[op], paddedVersion(operand));
      case '$before':
      case '$after': {
        const at = parseDateOperand(operand)!;
        const bound = at.kind === 'absolute' ? at.at : this.options.now + at.offsetMs;
        return t.compareNumber(t.call('lumio_date', value), op === '$before' ? '<' : '>', bound);
      }
      case '$age': {
        const age = t.age(value, this.options.now);
        // A date before Date's range gives NaN in JavaScript, not null: decided there too.
        const beforeTime = this.inJavaScript(operand, NaN, context)
          ? sql` WHEN ${t.compareNumber(t.call('lumio_date', value), '<', MIN_DATE)} AND ${t.compareNumber(t.call('lumio_date', value), '<=', this.options.now)} THEN TRUE`
          : sql``;
        return sql`(CASE WHEN ${age} IS NOT NULL THEN ${this.value(operand, t.numberValue(age), context)}${beforeTime} ELSE FALSE END)`;
      }
      default:
        throw new Error(`conditionToSql: no SQL for ${op}`);
    }
  }

  /** A plain string: equal to a string, else to the value's text (String(v)). */
  private looseText(value: V, text: string): Sql {
    const t = this.target;
    const tests = [t.equals(value, text)];
    const number = Number(text);
    if (text !== '' && String(number) === text) tests.push(t.equals(value, number));
    if (text === 'true' || text === 'false') tests.push(t.equals(value, text === 'true'));
    tests.push(sql`(${t.typeIs(value, 'array')} AND ${t.compareText(t.call('lumio_text', value), '=', text)})`);
    if (text === '[object Object]') tests.push(t.typeIs(value, 'object'));
    return this.orFalse(sql`(${sql.join(tests, sql` OR `)})`);
  }

  /** JavaScript's <, <=, >, >= between the value and a number or string. */
  private ordering(value: V, op: Comparison, operand: string | number): Sql {
    const t = this.target;
    if (typeof operand === 'number') return t.compareNumber(this.asNumber(value), op, operand);
    const asNumber = Number(operand);
    const numeric = Number.isNaN(asNumber) ? FALSE : t.compareNumber(this.asNumber(value), op, asNumber);
    if (value.known) return numeric;
    // Both texts compare as text (a list as its String()); anything else as numbers.
    const objectText = compareInJavaScript('[object Object]', op, operand) ? TRUE : FALSE;
    return sql`(CASE WHEN ${t.typeIs(value, 'string')} THEN ${t.compareText(t.text(value), op, operand)} WHEN ${t.typeIs(value, 'array')} THEN ${t.compareText(t.call('lumio_text', value), op, operand)} WHEN ${t.typeIs(value, 'object')} THEN ${objectText} ELSE ${numeric} END)`;
  }

  /** `$in` (`$ini` when folded): a list value shares an element with the list, any other value is in it. */
  private membership(value: V, list: Array<string | number | boolean | null>, folded: boolean): Sql {
    const t = this.target;
    if (list.length === 0) return FALSE;
    const strings = list.filter((item): item is string => typeof item === 'string');
    const numbers = list.filter((item): item is number => typeof item === 'number');
    const booleans = list.filter((item): item is boolean => typeof item === 'boolean');
    const scalar = (item: V): Sql => {
      const tests = [folded ? t.inList(item, [], numbers, booleans) : t.inList(item, strings, numbers, booleans)];
      if (folded && strings.length > 0) {
        const lowered = strings.map((s) => s.toLowerCase());
        tests.push(sql`(${t.typeIs(item, 'string')} AND ${t.lower(t.text(item))} IN (${sql.join(lowered.map((s) => this.bindText(s)))}))`);
      }
      return tests.length === 1 ? tests[0]! : sql`(${sql.join(tests, sql` OR `)})`;
    };
    const element = (item: V): Sql => (list.includes(null) ? sql`(${t.isNull(item)} OR ${this.orFalse(scalar(item))})` : scalar(item));
    if (value.known) return scalar(value);
    return sql`(CASE WHEN ${t.typeIs(value, 'array')} THEN ${t.someElement(value, element)} ELSE ${scalar(value)} END)`;
  }

  /** String(v), read straight from the column or JSON when it is a string. */
  private asText(value: V): Sql {
    if (value.known) return this.target.call('lumio_text', value);
    return sql`(CASE WHEN ${this.target.typeIs(value, 'string')} THEN ${this.target.text(value)} ELSE ${this.target.call('lumio_text', value)} END)`;
  }

  /** Number(v) (NULL for NaN), read straight from the JSON when it is a number. */
  private asNumber(value: V): Sql {
    if (value.known) return this.target.num(value);
    return sql`(CASE WHEN ${this.target.typeIs(value, 'number')} THEN ${this.target.num(value)} ELSE ${this.target.call('lumio_number', value)} END)`;
  }

  private bindText(text: string): Sql {
    return this.options.dialect === 'postgres' ? sql`${text}::text` : sql`${text}`;
  }

  private orFalse(test: Sql): Sql {
    return sql`COALESCE(${test}, FALSE)`;
  }
}

function compareInJavaScript(a: string, op: Comparison, b: string): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '=':
      return a === b;
    case '<>':
      return a !== b;
  }
}

// NOTE: as isOperatorObject in packages/targeting/src/condition/operators.ts (GrowthBook's rule).
function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

// SQLite parses `a AND b AND c …` into a tree as deep as the list is long and
// refuses past 1000 levels (500 keys of one condition did): lists are joined
// in groups of a few, bracketed as a balanced tree, so depth grows with the log.
const FLAT_JOIN = 8;
function balanced(items: Sql[], operator: Sql): Sql {
  if (items.length <= FLAT_JOIN) return sql`(${sql.join(items, operator)})`;
  const half = Math.ceil(items.length / 2);
  return sql`(${balanced(items.slice(0, half), operator)}${operator}${balanced(items.slice(half), operator)})`;
}
