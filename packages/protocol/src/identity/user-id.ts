import type { ValidationResult } from './validation-result.js';

/** The longest userId accepted, in Unicode code points. */
export const MAX_USER_ID_LENGTH = 255;

/**
 * Turns a host-supplied userId into its canonical string: strings are kept as
 * they are (never trimmed, because the signature covers the exact bytes), safe
 * integers become their decimal string.
 *
 * @example normalizeUserId(42) // { ok: true, value: '42' }
 */
export function normalizeUserId(input: unknown): ValidationResult<string> {
  if (typeof input === 'number') {
    if (Number.isSafeInteger(input)) return { ok: true, value: String(input) };
    return fail('userId is a number but not a safe integer; send it as a string.');
  }
  if (typeof input !== 'string') return fail(`userId must be a string or a safe integer, not ${describeType(input)}.`);
  if (input.length === 0) return fail('userId must not be empty.');
  // Count code points, not UTF-16 units, so an emoji counts once.
  let codePoints = 0;
  for (const _ of input) {
    if (++codePoints > MAX_USER_ID_LENGTH) return fail(`userId is longer than ${MAX_USER_ID_LENGTH} characters.`);
  }
  // Older browsers lack isWellFormed; the server, which always has it, checks again.
  if (typeof input.isWellFormed === 'function' && !input.isWellFormed())
    return fail('userId contains an unpaired surrogate; it must be valid Unicode.');
  return { ok: true, value: input };
}

function fail(message: string): ValidationResult<string> {
  return { ok: false, issue: { code: 'invalid_user_id', message, details: { field: 'userId' } } };
}

/** Length in Unicode code points (an emoji counts once), as users count characters. */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** A short name for a value's type, for error messages. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'undefined';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
