import type { ErrorCode } from '@lumio/protocol';

/** Codes the client itself produces when no usable answer came back from the server. */
export type ClientErrorCode =
  | 'network_error'
  | 'invalid_response'
  // lumio.track(): called after shutdown(); events dropped (queue full, or unsent at shutdown); flush() ran out of time.
  | 'client_closed'
  | 'events_dropped'
  | 'flush_timeout';

/**
 * A code of {@link LumioApiError}: a server code from the protocol registry, or
 * a client code. `string & {}` keeps autocompletion for the known codes while
 * allowing codes that a newer server adds.
 */
export type LumioApiErrorCode = ErrorCode | ClientErrorCode | (string & {});

/** Fields of a {@link LumioApiError} besides its message. */
export interface LumioApiErrorInit {
  code: LumioApiErrorCode;
  /** HTTP status, or 0 when no response arrived. */
  status: number;
  details?: Record<string, unknown> | undefined;
  requestId?: string | undefined;
  cause?: unknown;
}

/**
 * The error every failed `LumioClient` call rejects with: the server's stable
 * error code and HTTP status, or `network_error` (status 0) when no response came.
 *
 * @example
 * try {
 *   await lumio.users.get('user_123');
 * } catch (error) {
 *   if (error instanceof LumioApiError && error.code === 'not_found') return null;
 *   throw error;
 * }
 */
export class LumioApiError extends Error {
  override readonly name = 'LumioApiError';
  readonly code: LumioApiErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  /** Quote this when reporting a server error. */
  readonly requestId: string | undefined;

  constructor(message: string, init: LumioApiErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.details = init.details;
    this.requestId = init.requestId;
  }
}
