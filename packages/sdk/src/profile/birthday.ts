import { BIRTHDAY_RULE, isPastCalendarDate } from '@lumio/protocol/browser';

/** A birthday as the host page may pass it: a `Date`, a `YYYY-MM-DD` string, or `null` to unset it. */
export type BirthdayInput = Date | string | null;

/**
 * The calendar date a `Date` stands for, written `YYYY-MM-DD`.
 *
 * A `Date` is an instant, not a day, so which day was meant depends on how it
 * was built. `new Date('1968-04-03')` (an ISO date-only string) is midnight
 * UTC, while `new Date(1968, 3, 3)` is midnight in the browser's time zone.
 * The rule: a `Date` exactly at midnight UTC is read with the UTC getters
 * (it came from a date-only string, or a server that sends dates as UTC
 * midnight); any other `Date` with the local getters (the day on the user's
 * calendar). Both spellings of 3 April 1968 thus give `1968-04-03` in every
 * time zone: local midnight falls on UTC midnight only where the offset is
 * zero, and there both readings agree.
 *
 * @example calendarDateOf(new Date(1968, 3, 3)) // → '1968-04-03', whatever TZ is
 */
export function calendarDateOf(date: Date): string {
  const utcMidnight = date.getTime() % DAY_MS === 0;
  const year = utcMidnight ? date.getUTCFullYear() : date.getFullYear();
  const month = utcMidnight ? date.getUTCMonth() : date.getMonth();
  const day = utcMidnight ? date.getUTCDate() : date.getDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Turns the `birthday` of an identify into what the wire carries (`YYYY-MM-DD`
 * or null), or names what is wrong with it: an invalid `Date`, a future date,
 * a date before 1900, a string not written `YYYY-MM-DD`, or any other type.
 * The same rule as the server's (isPastCalendarDate in @lumio/protocol), checked here so a
 * bad birthday is refused before anything is sent.
 */
export function wireBirthday(value: unknown, now = new Date()): { ok: true; value: string | null } | { ok: false; message: string } {
  if (value === null) return { ok: true, value: null };
  let text: string;
  if (value instanceof Date || Object.prototype.toString.call(value) === '[object Date]') {
    const date = value as Date;
    if (Number.isNaN(date.getTime())) return { ok: false, message: 'birthday is an invalid Date (its time is NaN).' };
    text = calendarDateOf(date);
  } else if (typeof value === 'string') {
    text = value;
  } else {
    return { ok: false, message: `birthday must be a Date or a YYYY-MM-DD string (got ${describe(value)}).` };
  }
  if (!isPastCalendarDate(text, now)) return { ok: false, message: `${BIRTHDAY_RULE} (got ${JSON.stringify(text)})` };
  return { ok: true, value: text };
}

const DAY_MS = 86_400_000;

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
