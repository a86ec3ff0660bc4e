import type { Condition, ConditionValue } from '@lumio/targeting';

/** An operator the visual builder offers, and how its value is typed. */
export interface RuleOperator {
  id: string;
  label: string;
  /** `text`: one value; `list`: comma-separated values; `number`, `date`, `version`, `pattern`: one typed value; `none`: no value. */
  input: 'text' | 'list' | 'number' | 'date' | 'version' | 'pattern' | 'none';
}

// The subset of the language a row can show; anything else stays editable as JSON.
/** The operators a rule row offers, in menu order. */
export const RULE_OPERATORS: readonly RuleOperator[] = [
  { id: 'is', label: 'is', input: 'text' },
  { id: '$ne', label: 'is not', input: 'text' },
  { id: '$in', label: 'is one of', input: 'list' },
  { id: '$nin', label: 'is none of', input: 'list' },
  { id: '$ini', label: 'is one of (any case)', input: 'list' },
  { id: '$all', label: 'has all of (list)', input: 'list' },
  { id: '$gt', label: 'is greater than', input: 'number' },
  { id: '$gte', label: 'is at least', input: 'number' },
  { id: '$lt', label: 'is less than', input: 'number' },
  { id: '$lte', label: 'is at most', input: 'number' },
  { id: '$exists:true', label: 'is set', input: 'none' },
  { id: '$exists:false', label: 'is not set', input: 'none' },
  { id: '$regexi', label: 'matches pattern (any case)', input: 'pattern' },
  { id: '$regex', label: 'matches pattern', input: 'pattern' },
  { id: '$before', label: 'is a date before', input: 'date' },
  { id: '$after', label: 'is a date after', input: 'date' },
  { id: '$age:$gte', label: 'is a birthday aged at least', input: 'number' },
  { id: '$age:$lt', label: 'is a birthday aged under', input: 'number' },
  { id: '$vgte', label: 'is version at least', input: 'version' },
  { id: '$vlt', label: 'is version below', input: 'version' },
];

/** A row: attribute, operator, value as typed. */
export interface RuleNode {
  kind: 'rule';
  key: string;
  attribute: string;
  operator: string;
  value: string;
}

/** A row naming a saved segment (`$segment`), or excluding one (`$not: { $segment }`). */
export interface SegmentNode {
  kind: 'segment';
  key: string;
  segmentId: string;
  negate: boolean;
}

/** Rows that must all hold, or of which any one must. */
export interface GroupNode {
  kind: 'group';
  key: string;
  match: 'all' | 'any';
  children: TreeNode[];
}

/** Any node of the builder's tree. */
export type TreeNode = RuleNode | SegmentNode | GroupNode;

let nextKey = 0;
/** A key for a new node (React keys; never sent). */
export function nodeKey(): string {
  return `n${++nextKey}`;
}

/** An empty group: "everyone". */
export function emptyGroup(match: 'all' | 'any' = 'all'): GroupNode {
  return { kind: 'group', key: nodeKey(), match, children: [] };
}

/** A new row for an attribute. */
export function emptyRule(attribute = ''): RuleNode {
  return { kind: 'rule', key: nodeKey(), attribute, operator: 'is', value: '' };
}

/**
 * The condition the tree stands for. Rows without an attribute (or without a
 * segment chosen) are left out, so a half-written row never narrows the audience.
 */
export function treeToCondition(group: GroupNode): Condition {
  const parts = group.children.map(nodeToCondition).filter((c): c is Condition => c !== null && Object.keys(c).length > 0);
  if (group.match === 'any') return parts.length === 0 ? {} : parts.length === 1 ? parts[0]! : { $or: parts };
  // Several keys in one object all must hold: merge while no key repeats, else $and.
  const merged: Condition = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (!Object.hasOwn(merged, key)) merged[key] = value;
      // Two rows on one attribute with different operators read as one: { seats: { $gte: 5, $lt: 100 } }.
      else if (
        isOperators(merged[key]!) &&
        isOperators(value) &&
        Object.keys(value).every((op) => !Object.hasOwn(merged[key] as object, op))
      )
        merged[key] = { ...(merged[key] as object), ...value };
      else return { $and: parts };
    }
  }
  return merged;
}

function nodeToCondition(node: TreeNode): Condition | null {
  if (node.kind === 'group') return treeToCondition(node);
  if (node.kind === 'segment') {
    if (!node.segmentId) return null;
    return node.negate ? { $not: { $segment: node.segmentId } } : { $segment: node.segmentId };
  }
  const attribute = node.attribute.trim();
  if (!attribute) return null;
  return { [attribute]: ruleValue(node.operator, node.value) };
}

function ruleValue(operator: string, text: string): ConditionValue {
  const op = RULE_OPERATORS.find((o) => o.id === operator);
  switch (op?.input) {
    case 'list': {
      const items = text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
        .map(scalarOf);
      return { [operator]: items };
    }
    case 'none':
      return { $exists: operator === '$exists:true' };
    case 'number': {
      const n = scalarOf(text.trim());
      if (operator.startsWith('$age:')) return { $age: { [operator.slice(5)]: n } };
      return { [operator]: n };
    }
    default:
      if (operator === 'is') return scalarOf(text.trim());
      if (operator === '$ne') return { $ne: scalarOf(text.trim()) };
      return { [operator]: text.trim() };
  }
}

// Typed as a person would mean it: numbers and true/false as such, the rest as text.
function scalarOf(text: string): string | number | boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(text) && Number.isFinite(Number(text))) return Number(text);
  return text;
}

function textOf(value: ConditionValue): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/**
 * The tree for a condition, or null when it uses what rows cannot show
 * (`$nor`, nested `$not`, `$elemMatch`, lists of objects…): the JSON editor
 * then stays the way to edit it. A condition read back from a tree gives
 * the same condition (same meaning; numbers typed as numbers).
 */
export function conditionToTree(condition: Condition | null): GroupNode | null {
  if (condition === null) return emptyGroup();
  return objectToGroup(condition, 'all');
}

function objectToGroup(condition: Condition, match: 'all' | 'any'): GroupNode | null {
  const group: GroupNode = { kind: 'group', key: nodeKey(), match, children: [] };
  for (const [key, value] of Object.entries(condition)) {
    const nodes = entryToNodes(key, value);
    if (nodes === null) return null;
    group.children.push(...nodes);
  }
  return group;
}

function entryToNodes(key: string, value: ConditionValue): TreeNode[] | null {
  if (key === '$and' || key === '$or') {
    if (!Array.isArray(value)) return null;
    const items = value.map((item) => (isObject(item) ? objectToGroup(item, 'all') : null));
    if (items.some((item) => item === null)) return null;
    const groups = items as GroupNode[];
    // An item of one row needs no group of its own.
    const children = groups.map((g) => (g.children.length === 1 ? g.children[0]! : g));
    if (key === '$and') return children;
    return [{ kind: 'group', key: nodeKey(), match: 'any', children }];
  }
  if (key === '$segment') return typeof value === 'string' ? [{ kind: 'segment', key: nodeKey(), segmentId: value, negate: false }] : null;
  if (key === '$not') {
    if (isObject(value) && Object.keys(value).length === 1 && typeof value.$segment === 'string')
      return [{ kind: 'segment', key: nodeKey(), segmentId: value.$segment, negate: true }];
    return null;
  }
  if (key.startsWith('$')) return null;
  return fieldToRules(key, value);
}

function fieldToRules(attribute: string, value: ConditionValue): RuleNode[] | null {
  const rule = (operator: string, text: string): RuleNode => ({ kind: 'rule', key: nodeKey(), attribute, operator, value: text });
  if (!isObject(value) || !Object.keys(value).every((k) => k.startsWith('$')) || Object.keys(value).length === 0) {
    const text = textOf(value);
    return text === null ? null : [rule('is', text)];
  }
  const rules: RuleNode[] = [];
  for (const [op, operand] of Object.entries(value)) {
    if (op === '$exists' && typeof operand === 'boolean') rules.push(rule(`$exists:${operand}`, ''));
    else if (op === '$age' && isObject(operand) && Object.keys(operand).length === 1) {
      const [inner, n] = Object.entries(operand)[0]!;
      if ((inner !== '$gte' && inner !== '$lt') || typeof n !== 'number') return null;
      rules.push(rule(`$age:${inner}`, String(n)));
    } else {
      const known = RULE_OPERATORS.find((o) => o.id === op);
      if (!known) return null;
      if (known.input === 'list') {
        if (!Array.isArray(operand)) return null;
        const texts = operand.map(textOf);
        // A list item holding a comma cannot be written back as one item.
        if (texts.some((t) => t === null || t.includes(',')) || !operand.every(keepsType)) return null;
        rules.push(rule(op, texts.join(', ')));
      } else {
        const text = textOf(operand);
        const typed = known.input === 'text' || known.input === 'number';
        if (text === null || (typed && !keepsType(operand))) return null;
        rules.push(rule(op, text));
      }
    }
  }
  return rules;
}

// Text such as "5" would come back from a row as the number 5 ($eq, $in are type-strict): such conditions stay in JSON.
function keepsType(value: ConditionValue): boolean {
  return typeof value !== 'string' || typeof scalarOf(value) === 'string';
}

function isOperators(value: ConditionValue): value is { [key: string]: ConditionValue } {
  return isObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((k) => k.startsWith('$'));
}

function isObject(value: unknown): value is { [key: string]: ConditionValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
