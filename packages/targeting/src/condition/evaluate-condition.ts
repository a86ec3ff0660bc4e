import type { Attributes, Condition } from './condition.js';
import { compileCondition, type CompileOptions, type Predicate } from './compile-condition.js';

// Conditions are usually evaluated many times: keep the compiled form per
// condition object (and per segment resolver), dropped with the object.
const compiled = new WeakMap<object, Map<CompileOptions['segment'] | undefined, Predicate>>();

/**
 * Evaluates a condition against a user's attributes. Compiles it on first use
 * (validating it: a {@link ConditionError} lists what is wrong) and reuses
 * that for the same condition object; for hot paths, keep the result of
 * {@link compileCondition} instead.
 *
 * @example evaluateCondition({ plan: 'free' }, { plan: 'free', role: 'admin' }) // true
 */
export function evaluateCondition(condition: Condition, attributes: Attributes, options: CompileOptions & { now?: number } = {}): boolean {
  let byResolver = compiled.get(condition);
  if (!byResolver) compiled.set(condition, (byResolver = new Map()));
  let predicate = byResolver.get(options.segment);
  if (!predicate) {
    predicate = compileCondition(condition, options.segment ? { segment: options.segment } : {});
    byResolver.set(options.segment, predicate);
  }
  return predicate(attributes, options.now);
}
