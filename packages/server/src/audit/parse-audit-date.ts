import { LumioError } from '../errors/lumio-error.js';

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
// A calendar date, an optional time to the millisecond, and a zone (Z or ±hh:mm) when there is a time.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const MILLIS = /^\d{1,15}$/;

/**
 * Reads a date filter of the audit log: milliseconds since 1970, an ISO 8601
 * date-time with its zone, or a date alone (UTC), which as the `end` of a
 * range means the whole of that day. Anything else is `invalid_date`.
 */
export function parseAuditDate(value: string, field: 'from' | 'to', edge: 'start' | 'end'): number {
  let ms = Number.NaN;
  if (MILLIS.test(value)) ms = Number(value);
  else if (DATE_ONLY.test(value)) {
    ms = Date.parse(`${value}T00:00:00Z`);
    // Date.parse rolls 2026-02-30 over to March: a date must read back as itself.
    if (!Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) !== value) ms = Number.NaN;
    else if (edge === 'end') ms += DAY_MS - 1;
  } else if (DATE_TIME.test(value)) ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new LumioError('invalid_date', undefined, { field });
  return ms;
}
