import { ConditionError, type Attributes, type Condition } from './condition.js';
import { isOperatorObject, type FieldOperator } from './operators.js';
import { checkedCondition } from './validate-condition.js';
import { resolveSegment } from './resolve-segment.js';
import { runtime, type ValuePredicate } from './runtime.js';
import { checkPattern, type SafePattern } from '../regex/safe-pattern.js';
import { paddedVersion } from '../values/padded-version.js';
import { parseDateOperand } from '../values/dates.js';
import { interestTopic } from './interests.js';
import { companyPath } from './companies.js';

/** A compiled condition: true when the attributes match. `now` (epoch ms) anchors relative dates and ages; default: the current time. */
export type Predicate = (attributes: Attributes, now?: number) => boolean;

/** How {@link compileCondition} finds saved segments named by `$segment`. */
export interface CompileOptions {
  /** The condition of a segment, or undefined when there is no such segment (then compiling fails). */
  segment?: (id: string) => Condition | undefined;
}

/**
 * Compiles a condition into a predicate: validated first (a
 * {@link ConditionError} lists what is wrong), then turned into one
 * JavaScript function, so evaluating it costs about what a hand-written
 * check would. Segments are inlined; a segment that names itself, directly
 * or not, is refused. Results agree with GrowthBook's `evalCondition` for
 * every operator both define; GrowthBook's saved-group operators are refused
 * (see docs/targeting.md). `interests.<topic>` is Lumio's own: it reads
 * `attributes.interests[topic]`, 0 when the topic (or `interests`) is missing;
 * so is `company.<key>`, true when some company of `attributes['@companies']`
 * passes (none: false).
 *
 * @example
 * const isFreeAdmin = compileCondition({ plan: 'free', role: { $in: ['admin', 'owner'] } });
 * isFreeAdmin({ plan: 'free', role: 'owner' }); // true
 */
export function compileCondition(condition: unknown, options: CompileOptions = {}): Predicate {
  const compiler = new Compiler(options);
  return compiler.finish('a', compiler.condition(checkedCondition(condition), 'a', true, [])) as Predicate;
}

class Compiler {
  readonly constants: unknown[] = [];
  locals = 0;
  usesNow = false;

  constructor(private readonly options: CompileOptions) {}

  /** An expression for a whole condition object read from `root`. `rootIsAttributes`: `root` is known to be a plain object. */
  condition(condition: Condition, root: string, rootIsAttributes: boolean, segmentStack: string[]): string {
    const parts: string[] = [];
    for (const [key, value] of Object.entries(condition)) {
      switch (key) {
        case '$and':
        case '$or':
        case '$nor': {
          const items = (value as Condition[]).map((c) => this.condition(c, root, rootIsAttributes, segmentStack));
          // GrowthBook: an empty $and or $or passes, an empty $nor fails.
          if (items.length === 0) parts.push(key === '$nor' ? 'false' : 'true');
          else parts.push(`${key === '$nor' ? '!' : ''}(${items.join(key === '$and' ? ' && ' : ' || ')})`);
          break;
        }
        case '$not':
          parts.push(`!(${this.condition(value as Condition, root, rootIsAttributes, segmentStack)})`);
          break;
        case '$segment':
          parts.push(this.segment(value as string, root, rootIsAttributes, segmentStack));
          break;
        default:
          parts.push(this.field(key, value, root, rootIsAttributes, segmentStack));
      }
    }
    return parts.length === 0 ? 'true' : parts.length === 1 ? parts[0]! : `(${parts.join(' && ')})`;
  }

  private segment(id: string, root: string, rootIsAttributes: boolean, stack: string[]): string {
    return `(${this.condition(resolveSegment(id, stack, this.options.segment), root, rootIsAttributes, [...stack, id])})`;
  }

  private field(path: string, value: unknown, root: string, rootIsAttributes: boolean, stack: string[]): string {
    const v = `v${this.locals++}`;
    const topic = rootIsAttributes ? interestTopic(path) : undefined;
    // An interest level: a number, 0 for a topic the person has no interest in.
    if (topic !== undefined) return `(${v} = h.interestLevel(${root}, ${JSON.stringify(topic)}), ${this.value(value, v, false, stack)})`;
    // A company attribute: the value side tested on each of the user's companies, true when one passes.
    const company = rootIsAttributes ? companyPath(path) : undefined;
    if (company !== undefined)
      return `h.someCompany(${root}, ${JSON.stringify(company.key)}, ${this.constant(company.rest)}, ${this.constant(this.valuePredicate(value, false, stack))}, now)`;
    const parts = path.split('.');
    // A top-level name on the attributes object: a plain property read, which V8
    // inlines. Inherited members (toString…) are functions and count as missing.
    const read =
      rootIsAttributes && parts.length === 1
        ? `(${v} = ${root}[${JSON.stringify(parts[0])}], ${v} === undefined || typeof ${v} === "function" ? (${v} = null) : ${v})`
        : `(${v} = h.readPath(${root}, ${this.constant(parts)}))`;
    return `(${read}, ${this.value(value, v, false, stack)})`;
  }

  /** An expression testing the value in variable `v` against the value side of a condition. */
  value(condition: unknown, v: string, insensitive: boolean, stack: string[]): string {
    if (typeof condition === 'string') {
      if (insensitive) return `(String(${v}).toLowerCase() === ${JSON.stringify(condition.toLowerCase())})`;
      const literal = JSON.stringify(condition);
      return `(typeof ${v} === "string" ? ${v} === ${literal} : h.asText(${v}) === ${literal})`;
    }
    if (typeof condition === 'number') return `(${v} * 1 === ${numberLiteral(condition)})`;
    if (typeof condition === 'boolean') return `(${v} !== null && !!${v} === ${String(condition)})`;
    if (condition === null) return `(${v} === null)`;
    if (!isOperatorObject(condition)) return `h.sameJson(${v}, ${JSON.stringify(JSON.stringify(condition))})`;
    const tests = Object.entries(condition).map(([op, operand]) => this.operator(op as FieldOperator, operand, v, stack));
    return tests.length === 1 ? tests[0]! : `(${tests.join(' && ')})`;
  }

  private operator(op: FieldOperator, operand: unknown, v: string, stack: string[]): string {
    switch (op) {
      case '$eq':
        return `(${v} === ${scalarLiteral(operand)})`;
      case '$ne':
        return `(${v} !== ${scalarLiteral(operand)})`;
      case '$gt':
        return `(${v} > ${scalarLiteral(operand)})`;
      case '$gte':
        return `(${v} >= ${scalarLiteral(operand)})`;
      case '$lt':
        return `(${v} < ${scalarLiteral(operand)})`;
      case '$lte':
        return `(${v} <= ${scalarLiteral(operand)})`;
      case '$exists':
        return operand ? `(${v} != null)` : `(${v} == null)`;
      case '$in':
        return this.membership(operand as unknown[], v);
      case '$nin':
        return `!${this.membership(operand as unknown[], v)}`;
      case '$ini':
      case '$nini': {
        const lowered = (operand as unknown[]).map((item) => (typeof item === 'string' ? item.toLowerCase() : item));
        return `${op === '$nini' ? '!' : ''}h.isInFolded(${v}, ${this.constant(lowered)})`;
      }
      case '$all':
      case '$alli': {
        const tests = (operand as unknown[]).map((item) => this.valuePredicate(item, op === '$alli', stack));
        return `h.matchesAll(${v}, ${this.constant(tests)}, now)`;
      }
      case '$regex':
      case '$regexi': {
        const pattern = checkPattern(operand as string, op === '$regexi') as SafePattern;
        return `${this.constant(pattern)}.test(${v})`;
      }
      case '$type':
        return `(h.typeName(${v}) === ${JSON.stringify(operand)})`;
      case '$size': {
        const length = `v${this.locals++}`;
        return `(Array.isArray(${v}) && (${length} = ${v}.length, ${this.value(operand, length, false, stack)}))`;
      }
      case '$elemMatch': {
        const test = isOperatorObject(operand)
          ? this.valuePredicate(operand, false, stack)
          : this.elementPredicate(operand as Condition, stack);
        return `h.someElement(${v}, ${this.constant(test)}, now)`;
      }
      case '$not':
        return `!${this.value(operand, v, false, stack)}`;
      case '$veq':
      case '$vne':
      case '$vgt':
      case '$vgte':
      case '$vlt':
      case '$vlte':
        return `(h.paddedVersion(${v}) ${VERSION_OPS[op]} ${JSON.stringify(paddedVersion(operand))})`;
      case '$before':
      case '$after': {
        const at = parseDateOperand(operand)!;
        let bound: string;
        if (at.kind === 'absolute') bound = numberLiteral(at.at);
        else {
          this.usesNow = true;
          bound = `(now + ${numberLiteral(at.offsetMs)})`;
        }
        return `(h.dateValue(${v}) ${op === '$before' ? '<' : '>'} ${bound})`;
      }
      case '$age': {
        this.usesNow = true;
        const age = `v${this.locals++}`;
        return `((${age} = h.ageAt(${v}, now)) !== null && ${this.value(operand, age, false, stack)})`;
      }
    }
  }

  /** `$in` over a short list as a chain of comparisons; over a long one through includes. */
  private membership(list: unknown[], v: string): string {
    if (list.length === 0) return `(Array.isArray(${v}) && false)`;
    const scalar =
      list.length <= 8
        ? `(${list.map((item) => `${v} === ${scalarLiteral(item)}`).join(' || ')})`
        : `${this.constant(list)}.includes(${v})`;
    return `(Array.isArray(${v}) ? h.isIn(${v}, ${this.constant(list)}) : ${scalar})`;
  }

  /** A separate function testing one value, for operators that apply a condition to many values. */
  private valuePredicate(condition: unknown, insensitive: boolean, stack: string[]): ValuePredicate {
    const inner = new Compiler(this.options);
    const body = inner.value(condition, 'x', insensitive, stack);
    return inner.finish('x', body) as ValuePredicate;
  }

  /** A separate function testing one array element against a condition on its fields. */
  private elementPredicate(condition: Condition, stack: string[]): ValuePredicate {
    const inner = new Compiler(this.options);
    // Elements may be anything: read them with the safe path reader, never as attributes.
    const body = inner.condition(condition, 'x', false, stack);
    return inner.finish('x', body) as ValuePredicate;
  }

  /**
   * The generated function. Everything interpolated into its source is either
   * generated by this compiler or a JSON literal of a validated value; any
   * other value travels in `k`.
   */
  finish(parameter: string, body: string): (value: unknown, now?: number) => boolean {
    const locals = this.locals > 0 ? `let ${Array.from({ length: this.locals }, (_, i) => `v${i}`).join(', ')};` : '';
    const clock = this.usesNow ? 'if (now === undefined) now = Date.now();' : '';
    return new Function('k', 'h', `return function test(${parameter}, now) { ${locals} ${clock} return ${body}; };`)(
      this.constants,
      runtime,
    ) as (value: unknown, now?: number) => boolean;
  }

  private constant(value: unknown): string {
    this.constants.push(value);
    return `k[${this.constants.length - 1}]`;
  }
}

const VERSION_OPS = { $veq: '===', $vne: '!==', $vgt: '>', $vgte: '>=', $vlt: '<', $vlte: '<=' } as const;

function numberLiteral(value: number): string {
  // Parenthesised so "-5" never merges with a preceding operator; Object.is keeps -0.
  return Object.is(value, -0) ? '(-0)' : `(${String(value)})`;
}

function scalarLiteral(value: unknown): string {
  if (typeof value === 'number') return numberLiteral(value);
  return JSON.stringify(value);
}
