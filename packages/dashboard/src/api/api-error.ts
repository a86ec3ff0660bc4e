import type { ErrorCode } from '@lumio/protocol/browser';

/** An error answer of the Lumio API: its stable code, the message that says what to do, and the request id to quote. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network_error' | 'unexpected_answer',
    message: string,
    readonly details?: Record<string, unknown>,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Whether `error` is the API saying the sign-in is missing or over. */
export function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}
