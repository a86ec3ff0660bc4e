import { ErrorCodes, type ErrorCode, type ValidationIssue } from '@lumio/protocol';

/**
 * The one error class of the server: carries a stable code from the registry;
 * the HTTP layer turns it into `{ error: { code, message, details } }`.
 *
 * @example throw new LumioError('forbidden');
 */
export class LumioError extends Error {
  override name = 'LumioError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  /** Extra response headers, e.g. Retry-After. */
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>, headers?: Record<string, string>) {
    super(message ?? ErrorCodes[code].message);
    this.code = code;
    this.status = ErrorCodes[code].status;
    this.details = details;
    this.headers = headers;
  }

  /** Wraps a protocol validation issue. */
  static fromIssue(issue: ValidationIssue): LumioError {
    return new LumioError(issue.code, issue.message, issue.details);
  }
}
