// The operator vocabulary, in one table: validation, compilation and
// description all read it, so an operator cannot exist in one and not the others.

/** What an operator takes as its operand. */
export type OperandKind =
  | 'scalar' // string, number, boolean or null
  | 'comparable' // string or number
  | 'scalar-list' // array of scalars
  | 'value-list' // array of condition values ($all)
  | 'boolean'
  | 'pattern' // a regular expression's source
  | 'type-name'
  | 'value-condition' // a value or an operator object, applied to a derived value ($size, $not, $age)
  | 'element-condition' // an operator object or a condition on each element ($elemMatch)
  | 'version'
  | 'date';

/** Field operators (inside `{ path: { $op: operand } }`) and what they take. */
export const FIELD_OPERATORS = {
  $eq: 'scalar',
  $ne: 'scalar',
  $gt: 'comparable',
  $gte: 'comparable',
  $lt: 'comparable',
  $lte: 'comparable',
  $in: 'scalar-list',
  $nin: 'scalar-list',
  $ini: 'scalar-list',
  $nini: 'scalar-list',
  $all: 'value-list',
  $alli: 'value-list',
  $exists: 'boolean',
  $regex: 'pattern',
  $regexi: 'pattern',
  $type: 'type-name',
  $size: 'value-condition',
  $elemMatch: 'element-condition',
  $not: 'value-condition',
  $veq: 'version',
  $vne: 'version',
  $vgt: 'version',
  $vgte: 'version',
  $vlt: 'version',
  $vlte: 'version',
  $before: 'date',
  $after: 'date',
  $age: 'value-condition',
} as const satisfies Record<string, OperandKind>;

/** A field operator's name. */
export type FieldOperator = keyof typeof FIELD_OPERATORS;

/** Logical operators at the top of a condition. */
export const LOGICAL_OPERATORS = ['$and', '$or', '$nor', '$not', '$segment'] as const;

/** The names `$type` accepts, as GrowthBook's `getType` returns them. */
export const TYPE_NAMES = ['string', 'number', 'boolean', 'array', 'object', 'null'] as const;

/** The message refusing one of GrowthBook's saved-group operators, naming what to write instead. */
function savedGroupRefusal(op: string, mode: 'include' | 'exclude'): string {
  return mode === 'include'
    ? `${op}: saved groups are not supported; use { "$segment": "seg_…" } to refer to a saved segment, or list the ids with { "userId": { "$in": ["id1", "id2"] } }.`
    : `${op}: saved groups are not supported; use { "$not": { "$segment": "seg_…" } } to exclude a saved segment, or list the ids with { "userId": { "$nin": ["id1", "id2"] } }.`;
}

/** Operators refused with a pointed message rather than "unknown". */
export const REFUSED_OPERATORS: Record<string, string> = {
  $where: '$where runs code and is never allowed.',
  $expr: '$expr is not supported; write the comparison with field operators.',
  $function: '$function runs code and is never allowed.',
  $accumulator: '$accumulator runs code and is never allowed.',
  // GrowthBook's saved groups live in its own payload, which Lumio has no
  // counterpart of; segments (conditions saved per workspace) and id lists
  // cover the same ground on both the JavaScript and SQL paths.
  $savedGroup: savedGroupRefusal('$savedGroup', 'include'),
  $inGroup: savedGroupRefusal('$inGroup', 'include'),
  $notInGroup: savedGroupRefusal('$notInGroup', 'exclude'),
};

/** Path segments that would reach the prototype chain. */
export const FORBIDDEN_PATH_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

export function isFieldOperator(key: string): key is FieldOperator {
  return Object.hasOwn(FIELD_OPERATORS, key);
}

/** Whether a value is an operator object: a non-empty plain object whose keys all start with `$` (GrowthBook's rule). */
export function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}
