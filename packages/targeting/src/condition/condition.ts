/** A JSON value inside a condition. */
export type ConditionValue = string | number | boolean | null | ConditionValue[] | { [key: string]: ConditionValue };

/**
 * A targeting condition: MongoDB-style, as GrowthBook and sift write them.
 * Keys are attribute paths (`plan`, `tags.0`, `company.size`: some company of the user) or the logical operators
 * `$and`, `$or`, `$nor`, `$not` and `$segment`; several keys all must hold.
 *
 * @example { plan: 'free', seats: { $gte: 5 }, $or: [{ role: 'admin' }, { role: 'owner' }] }
 */
export type Condition = { [key: string]: ConditionValue };

/** A user's attributes as targeting reads them: traits, properties, userId and trust, side by side. */
export type Attributes = Record<string, unknown>;

/** Bounds on a condition, so a stored condition stays cheap to validate, evaluate and compile to SQL. */
export const ConditionLimits = {
  maxDepth: 12,
  maxNodes: 1000,
  maxListLength: 1000,
  maxStringLength: 1024,
  maxPatternLength: 256,
  maxPathLength: 256,
} as const;

/** Why a condition was refused; `path` locates the fault, e.g. `$or[1].plan.$regex`. */
export interface ConditionIssue {
  path: string;
  code: ConditionIssueCode;
  message: string;
}

/** Stable codes of {@link ConditionIssue}. */
export type ConditionIssueCode =
  | 'invalid_shape'
  | 'unknown_operator'
  | 'invalid_operand'
  | 'invalid_path'
  | 'invalid_topic'
  | 'invalid_regex'
  | 'too_complex'
  | 'unknown_segment'
  | 'segment_cycle';

/** Thrown by {@link compileCondition} and {@link evaluateCondition} for a condition that does not validate. */
export class ConditionError extends Error {
  override name = 'ConditionError';
  constructor(readonly issues: ConditionIssue[]) {
    super(issues.map((i) => `${i.path || '(condition)'}: ${i.message}`).join('; '));
  }
}
