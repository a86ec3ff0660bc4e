import type { FastifyError, FastifyInstance } from 'fastify';
import { ErrorCodes, type ErrorBody } from '@lumio/protocol';
import { LumioError } from '../errors/lumio-error.js';
import { classifyStorageFault } from '../db/storage-fault.js';
import type { StorageHealth } from '../db/storage-health.js';

/** Seconds a client is asked to wait after a storage fault: long enough not to hammer, short enough to recover fast. */
export const STORAGE_RETRY_AFTER_SECONDS = 5;

// Fastify's own errors that are the client's fault, mapped onto our codes.
const FASTIFY_CODES: Record<string, keyof typeof ErrorCodes> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_request',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_request',
  FST_ERR_VALIDATION: 'invalid_request',
};

/**
 * Turns every error into the JSON error body: LumioErrors as they are,
 * Fastify's client errors onto registry codes, storage faults (disk full,
 * read-only, database unreachable) into a 503 `storage_unavailable` with
 * Retry-After whose cause `storageHealth` logs once per interval, and anything
 * else into a 500 whose stack is logged and never sent.
 */
export function installErrorHandler(app: FastifyInstance, storageHealth: StorageHealth): void {
  app.setErrorHandler((error: FastifyError | LumioError, request, reply) => {
    let lumio: LumioError;
    const fault = error instanceof LumioError ? undefined : classifyStorageFault(error);
    if (fault) {
      storageHealth.recordFault(fault, { reqId: request.id, route: request.routeOptions.url });
      lumio = new LumioError(
        'storage_unavailable',
        undefined,
        { retryAfterSeconds: STORAGE_RETRY_AFTER_SECONDS },
        {
          'retry-after': String(STORAGE_RETRY_AFTER_SECONDS),
        },
      );
    } else if (error instanceof LumioError) {
      lumio = error;
    } else if (error.code && FASTIFY_CODES[error.code]) {
      lumio = new LumioError(
        FASTIFY_CODES[error.code]!,
        error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'The body is not valid JSON.' : undefined,
      );
    } else if (error.statusCode === 400 && error.message.includes('JSON')) {
      lumio = new LumioError('invalid_request', 'The body is not valid JSON.');
    } else {
      request.log.error({ err: error }, 'unhandled error');
      lumio = new LumioError('internal_error');
    }
    // A storage fault is logged by the storage health, once per interval, not here per request.
    if (lumio.status >= 500 && error instanceof LumioError && lumio.code !== 'storage_unavailable')
      request.log.error({ err: error }, 'server error');
    const body: ErrorBody = { error: { code: lumio.code, message: lumio.message, requestId: String(request.id) } };
    if (lumio.details) body.error.details = lumio.details;
    if (lumio.headers) void reply.headers(lumio.headers);
    return reply.status(lumio.status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = {
      error: { code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}.`, requestId: String(request.id) },
    };
    return reply.status(404).send(body);
  });
}
