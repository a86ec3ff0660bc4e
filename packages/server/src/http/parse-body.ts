import { checkBody } from '@lumio/protocol';
import type { z } from 'zod';
import { LumioError } from '../errors/lumio-error.js';

/** Validates a request part with a zod schema; a failure is a 400 `invalid_request` (or `invalid_string`) naming the field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = checkBody(schema, value);
  if (result.ok) return result.value;
  if (result.code) throw new LumioError(result.code, result.message, { field: result.field });
  throw new LumioError('invalid_request', `${result.field}: ${result.message}`, { field: result.field });
}
