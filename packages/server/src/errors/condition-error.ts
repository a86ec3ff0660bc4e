import type { ConditionError } from '@lumio/targeting';
import { LumioError } from './lumio-error.js';

/**
 * Turns the targeting package's error into the API's `invalid_condition`,
 * with the located issues. Here, beside LumioError, because both the error
 * handler (http/) and the features that check conditions raise it.
 */
export function conditionError(issues: ConditionError['issues']): LumioError {
  const first = issues[0];
  const message = first ? `The condition is invalid: ${first.path ? `${first.path}: ` : ''}${first.message}` : undefined;
  return new LumioError('invalid_condition', message, { issues });
}
