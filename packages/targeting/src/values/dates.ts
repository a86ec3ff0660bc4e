// Dates in attributes are ISO 8601 strings (a date, or a date and time with a
// zone) or epoch milliseconds; anything else is "no date", which no date
// operator matches.

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const RELATIVE = /^([+-])(\d{1,6})(s|m|h|d|w)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** Epoch milliseconds of an attribute value, or NaN when it is not a date. */
export function dateValue(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
  if (typeof value !== 'string') return NaN;
  const dateOnly = ISO_DATE.test(value);
  if (!dateOnly && !ISO_DATE_TIME.test(value)) return NaN;
  // Date.parse rolls 2026-02-31 over into March: such a day is not a date.
  if (!realDay(Number(value.slice(0, 4)), Number(value.slice(5, 7)), Number(value.slice(8, 10)))) return NaN;
  return Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
}

function realDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A `$before`/`$after` operand: a fixed instant, or an offset from the time of evaluation. */
export type DateOperand = { kind: 'absolute'; at: number } | { kind: 'relative'; offsetMs: number; text: string };

/** Parses `-30d`, `+2h`, `2026-01-31`, `2026-01-31T12:00:00Z` or epoch milliseconds; null when it is none of these. */
export function parseDateOperand(operand: unknown): DateOperand | null {
  if (typeof operand === 'string') {
    const relative = RELATIVE.exec(operand);
    if (relative) {
      const amount = Number(relative[2]) * UNIT_MS[relative[3] as keyof typeof UNIT_MS];
      return { kind: 'relative', offsetMs: relative[1] === '-' ? -amount : amount, text: operand };
    }
  }
  const at = dateValue(operand);
  return Number.isNaN(at) ? null : { kind: 'absolute', at };
}

/** Whole years between a birthday (an ISO date) and `now`, in UTC; null when it is not a date or lies in the future. */
export function ageAt(birthday: unknown, now: number): number | null {
  const born = dateValue(birthday);
  if (Number.isNaN(born) || born > now) return null;
  const b = new Date(born);
  const n = new Date(now);
  let age = n.getUTCFullYear() - b.getUTCFullYear();
  if (n.getUTCMonth() < b.getUTCMonth() || (n.getUTCMonth() === b.getUTCMonth() && n.getUTCDate() < b.getUTCDate())) age--;
  return age;
}
