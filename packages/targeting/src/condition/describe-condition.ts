import type { Condition } from './condition.js';
import { isOperatorObject } from './operators.js';
import { parseDateOperand, type DateOperand } from '../values/dates.js';
import { interestTopic } from './interests.js';
import { companyPath } from './companies.js';

/** How {@link describeCondition} names things it cannot know by itself. */
export interface DescribeOptions {
  /** A segment's display name; the id is shown when absent. */
  segmentName?: (id: string) => string | undefined;
}

/**
 * The condition in plain words, for the dashboard: "plan is free and role is
 * admin or owner". Expects a condition that passed validateCondition.
 *
 * @example describeCondition({ plan: 'free', seats: { $gte: 5 } }) // "plan is free and seats is at least 5"
 */
export function describeCondition(condition: Condition, options: DescribeOptions = {}): string {
  return describeIn(condition, options, true);
}

/** `onAttributes`: paths read a user's attributes (false for a condition on list elements, where `interests.x` is just a path). */
function describeIn(condition: Condition, options: DescribeOptions, onAttributes: boolean): string {
  const text = describeAll(condition, options, onAttributes);
  return text === '' ? 'everyone' : text;
}

function describeAll(condition: Condition, options: DescribeOptions, onAttributes: boolean): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(condition)) {
    switch (key) {
      case '$and':
        parts.push(...(value as Condition[]).map((c) => describeNested(c, options, onAttributes)));
        break;
      case '$or': {
        const items = (value as Condition[]).map((c) => describeNested(c, options, onAttributes));
        parts.push(items.length === 0 ? 'everyone' : items.length === 1 ? items[0]! : `(${items.join(' or ')})`);
        break;
      }
      case '$nor': {
        const items = (value as Condition[]).map((c) => describeNested(c, options, onAttributes));
        parts.push(items.length === 0 ? 'nobody' : `none of (${items.join('; ')})`);
        break;
      }
      case '$not':
        parts.push(`not (${describeIn(value as Condition, options, onAttributes)})`);
        break;
      case '$segment': {
        const id = value as string;
        parts.push(`in segment ${quote(options.segmentName?.(id) ?? id)}`);
        break;
      }
      default:
        parts.push(describeField(key, value, onAttributes));
    }
  }
  return parts.join(' and ');
}

function describeNested(condition: Condition, options: DescribeOptions, onAttributes: boolean): string {
  const text = describeIn(condition, options, onAttributes);
  return Object.keys(condition).length > 1 ? `(${text})` : text;
}

function describeField(path: string, value: unknown, onAttributes: boolean): string {
  const topic = onAttributes ? interestTopic(path) : undefined;
  // "interest in billing is at least 0.5": the level's name, not the path.
  if (topic) return `interest in ${topic} ${describeValue(value)}`;
  // "some company's plan is enterprise": any one of the user's companies.
  const company = onAttributes ? companyPath(path) : undefined;
  if (company) return `some company's ${[company.key, ...company.rest].join('.')} ${describeValue(value)}`;
  return `${path} ${describeValue(value)}`;
}

/** The predicate part: "is free", "is at least 5", "matches /^acme/". */
function describeValue(value: unknown): string {
  if (!isOperatorObject(value)) return value === null ? 'is not set' : `is ${literal(value)}`;
  return Object.entries(value)
    .map(([op, operand]) => describeOperator(op, operand))
    .join(' and ');
}

function describeOperator(op: string, operand: unknown): string {
  switch (op) {
    case '$eq':
      return `is exactly ${literal(operand)}`;
    case '$ne':
      return `is not ${literal(operand)}`;
    case '$gt':
      return `is greater than ${literal(operand)}`;
    case '$gte':
      return `is at least ${literal(operand)}`;
    case '$lt':
      return `is less than ${literal(operand)}`;
    case '$lte':
      return `is at most ${literal(operand)}`;
    case '$in':
      return `is ${list(operand as unknown[], 'or')}`;
    case '$nin':
      return `is not ${list(operand as unknown[], 'or')}`;
    case '$ini':
      return `is ${list(operand as unknown[], 'or')} (any case)`;
    case '$nini':
      return `is not ${list(operand as unknown[], 'or')} (any case)`;
    case '$all':
      return `includes ${(operand as unknown[]).map(itemText).join(' and ')}`;
    case '$alli':
      return `includes ${(operand as unknown[]).map(itemText).join(' and ')} (any case)`;
    case '$exists':
      return operand ? 'is set' : 'is not set';
    case '$regex':
      return `matches /${String(operand)}/`;
    case '$regexi':
      return `matches /${String(operand)}/ (any case)`;
    case '$type':
      return `is ${operand === 'array' ? 'a list' : operand === 'null' ? 'null' : `a ${String(operand)}`}`;
    case '$size':
      return `has ${isOperatorObject(operand) ? `a number of items that ${describeValue(operand)}` : `${literal(operand)} items`}`;
    case '$elemMatch':
      return `has an item that ${isOperatorObject(operand) ? describeValue(operand) : `matches (${describeIn(operand as Condition, {}, false)})`}`;
    case '$not':
      return `is not (${describeValue(operand)})`;
    case '$veq':
      return `is version ${String(operand)}`;
    case '$vne':
      return `is not version ${String(operand)}`;
    case '$vgt':
      return `is a version after ${String(operand)}`;
    case '$vgte':
      return `is version ${String(operand)} or later`;
    case '$vlt':
      return `is a version before ${String(operand)}`;
    case '$vlte':
      return `is version ${String(operand)} or earlier`;
    case '$before':
      return `is before ${when(parseDateOperand(operand)!)}`;
    case '$after':
      return `is after ${when(parseDateOperand(operand)!)}`;
    case '$age':
      return `gives an age that ${isOperatorObject(operand) ? describeValue(operand) : `is ${literal(operand)}`}`;
    default:
      return `${op} ${literal(operand)}`;
  }
}

const UNIT_NAMES: Record<string, string> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week' };

function when(operand: DateOperand): string {
  if (operand.kind === 'absolute') {
    const iso = new Date(operand.at).toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  const match = /^([+-])(\d+)(\w)$/.exec(operand.text)!;
  const amount = Number(match[2]);
  const unit = `${UNIT_NAMES[match[3]!]!}${amount === 1 ? '' : 's'}`;
  return match[1] === '-' ? `${amount} ${unit} ago` : `${amount} ${unit} from now`;
}

function itemText(item: unknown): string {
  return isOperatorObject(item) ? `an item that ${describeValue(item)}` : literal(item);
}

function list(items: unknown[], word: string): string {
  const texts = items.map(literal);
  if (texts.length === 0) return `one of nothing`;
  if (texts.length === 1) return texts[0]!;
  return `${texts.slice(0, -1).join(', ')} ${word} ${texts.at(-1)!}`;
}

function literal(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  return JSON.stringify(value);
}

function quote(text: string): string {
  return /^[\p{L}\p{N}_.@:/+-]+$/u.test(text) ? text : JSON.stringify(text);
}
