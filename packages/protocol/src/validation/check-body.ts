import type { z } from 'zod';
import { findUnsafeText, unsafeTextMessage } from './unsafe-text.js';

/**
 * Words for zod's issues, to replace its own in one check (a dashboard form
 * says "Use at most 120 characters." where the API says "Too big: …"); an
 * issue it answers `undefined` for keeps zod's words.
 */
export type IssueWords = z.core.$ZodErrorMap;

/**
 * A request body checked: its parsed value, or the first problem with the
 * field it is in (`body` for the whole); `code` is set when the problem has a
 * code of its own (`invalid_string`: text no database can store).
 */
export type BodyCheck<T> = { ok: true; value: T } | { ok: false; field: string; message: string; code?: 'invalid_string' };

/**
 * Checks a request body (or query) with one of the protocol's schemas: the
 * server answers the first problem as `invalid_request` (`invalid_string` for
 * U+0000 or a lone surrogate in any string or key), the dashboard shows
 * it next to its field before sending.
 *
 * @example
 * const check = checkBody(widgetBody, { name: '  ' });
 * if (!check.ok) console.log(check.field, check.message); // name Too small: …
 */
export function checkBody<S extends z.ZodType>(schema: S, value: unknown, words?: IssueWords): BodyCheck<z.output<S>> {
  // Before the schema: a NUL passes every zod string check, and PostgreSQL would refuse it only at the write.
  const unsafe = findUnsafeText(value);
  if (unsafe) return { ok: false, field: unsafe.field, message: unsafeTextMessage(unsafe), code: 'invalid_string' };
  const result = schema.safeParse(value ?? {}, words ? { error: words } : undefined);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  return { ok: false, field: issue.path.join('.') || 'body', message: issue.message };
}
