import type { ErrorCode } from '../errors/error-codes.js';

/** A validation failure: a stable code, a message naming the field, and details. */
export interface ValidationIssue {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** The outcome of a protocol validator: never throws, so browser code can use it too. */
export type ValidationResult<T> = { ok: true; value: T } | { ok: false; issue: ValidationIssue };
