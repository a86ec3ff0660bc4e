import type { z } from 'zod';
import { LumioError } from '../errors/lumio-error.js';

/** Validates a request part with a zod schema; a failure is a 400 `invalid_request` naming the field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.') || 'body';
  throw new LumioError('invalid_request', `${field}: ${issue.message}`, { field });
}
