/** The values of the standard `gender` trait. */
export const Genders = {
  Male: 'Male',
  Female: 'Female',
  Other: 'Other',
  PreferNotToSay: 'PreferNotToSay',
} as const;

/** One of {@link Genders}. */
export type Gender = (typeof Genders)[keyof typeof Genders];

/** Whether a value is one of {@link Genders}. */
export function isGender(value: unknown): value is Gender {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(Genders, value);
}
