import type { ValidationResult } from './validation-result.js';
import { type Gender, isGender, Genders } from './genders.js';
import { codePointLength, describeType } from './user-id.js';

/** The standard traits of a user; `null` in input unsets one. */
export interface StandardTraits {
  name?: string | null;
  email?: string | null;
  /** Calendar date, `YYYY-MM-DD`. */
  birthday?: string | null;
  gender?: Gender | null;
}

/** Names of the standard traits, in display order. */
export const STANDARD_TRAITS = ['name', 'email', 'birthday', 'gender'] as const;

const MAX_NAME_LENGTH = 255;
const MAX_EMAIL_LENGTH = 320;
// Deliberately loose: one @, no spaces, a dot in the domain. Mail servers decide the rest.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Validates the standard traits; unknown keys are not looked at here. */
export function validateStandardTraits(input: StandardTraits, now = new Date()): ValidationResult<StandardTraits> {
  const out: StandardTraits = {};
  if (input.name !== undefined) {
    if (input.name !== null) {
      if (typeof input.name !== 'string') return fail('name', `name must be a string (got ${describeType(input.name)}).`);
      const length = codePointLength(input.name);
      if (length > MAX_NAME_LENGTH) return fail('name', `name is ${length} characters long; the limit is ${MAX_NAME_LENGTH}.`);
      if (!input.name.isWellFormed()) return fail('name', 'name contains an unpaired surrogate; send valid Unicode text.');
    }
    out.name = input.name;
  }
  if (input.email !== undefined) {
    if (input.email !== null) {
      if (
        typeof input.email !== 'string' ||
        input.email.length > MAX_EMAIL_LENGTH ||
        !EMAIL_PATTERN.test(input.email) ||
        !input.email.isWellFormed()
      ) {
        return fail('email', 'email must look like name@example.com.');
      }
    }
    out.email = input.email;
  }
  if (input.birthday !== undefined) {
    if (input.birthday !== null && !isPastCalendarDate(input.birthday, now)) return fail('birthday', BIRTHDAY_RULE);
    out.birthday = input.birthday;
  }
  if (input.gender !== undefined) {
    if (input.gender !== null && !isGender(input.gender)) {
      return fail('gender', `gender must be one of ${Object.values(Genders).join(', ')}.`);
    }
    out.gender = input.gender;
  }
  return { ok: true, value: out };
}

/** What a `birthday` must be, as the refusal says it. */
export const BIRTHDAY_RULE = 'birthday must be a past calendar date written YYYY-MM-DD, from 1900 on.';

/** Whether a value is a real `YYYY-MM-DD` day from 1900 up to `now` (the one birthday rule, also run by the SDK). */
export function isPastCalendarDate(value: unknown, now: Date): boolean {
  if (typeof value !== 'string') return false;
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Round-tripping rejects 2023-02-30 and friends.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return false;
  return year >= 1900 && date.getTime() <= now.getTime();
}

function fail(field: string, message: string): ValidationResult<StandardTraits> {
  return { ok: false, issue: { code: 'invalid_profile', message, details: { field } } };
}
