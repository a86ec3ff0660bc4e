import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCodes, type ErrorBody } from '@lumio/protocol';
import { ConditionError } from '@lumio/targeting';
import { LumioError } from '../errors/lumio-error.js';
import { conditionError } from '../errors/condition-error.js';
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
  FST_ERR_BAD_URL: 'invalid_request',
  FST_ERR_MAX_PARAM_LENGTH: 'invalid_request',
};

// Messages of our own where Fastify's would echo the raw input or say nothing useful.
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The body is not valid JSON.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The body is empty; send a JSON value or no content-type.',
  FST_ERR_BAD_URL: 'The URL is not validly percent-encoded UTF-8.',
  FST_ERR_MAX_PARAM_LENGTH:
    'A path segment is too long (over 3,060 characters); ids in paths are at most 255 characters before percent-encoding.',
};

// Any other client error of Fastify or a plugin (its status 4xx), onto the code of that status.
function codeOfClientStatus(status: number): keyof typeof ErrorCodes {
  if (status === 404) return 'not_found';
  if (status === 413) return 'payload_too_large';
  if (status === 415) return 'unsupported_media_type';
  if (status === 429) return 'rate_limited';
  return 'invalid_request';
}

/** Turns any error into the LumioError it answers as: the client's faults onto registry codes, the rest a 500. */
export function toLumioError(error: FastifyError | LumioError): LumioError | undefined {
  if (error instanceof LumioError) return error;
  // However deep a condition was compiled (an audience, a report, a preview), its fault is the request's.
  if (error instanceof ConditionError) return conditionError(error.issues);
  if (error.code && FASTIFY_CODES[error.code]) return new LumioError(FASTIFY_CODES[error.code]!, FASTIFY_MESSAGES[error.code]);
  if (error.statusCode === 400 && error.message.includes('JSON')) return new LumioError('invalid_request', 'The body is not valid JSON.');
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500)
    return new LumioError(codeOfClientStatus(error.statusCode));
  return undefined;
}

/**
 * Fastify's `frameworkErrors`: a URL the router cannot decode (bad
 * percent-encoding) or a path segment over `maxParamLength` answers our JSON
 * error body with a registry code, like every other refusal, not Fastify's own.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const lumio = toLumioError(error) ?? new LumioError('invalid_request');
  const body: ErrorBody = { error: { code: lumio.code, message: lumio.message, requestId: String(request.id) } };
  void reply.status(lumio.status).send(body);
}

/**
 * Turns every error into the JSON error body: LumioErrors as they are,
 * Fastify's client errors onto registry codes, storage faults (disk full,
 * read-only, database unreachable) into a 503 `storage_unavailable` with
 * Retry-After whose cause `storageHealth` logs once per interval, and anything
 * else into a 500 whose stack is logged and never sent.
 */
export function installErrorHandler(app: FastifyInstance, storageHealth: StorageHealth): void {
  app.setErrorHandler((error: FastifyError | LumioError, request, reply) => {
    let lumio: LumioError | undefined;
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
    } else {
      lumio = toLumioError(error);
    }
    if (!lumio) {
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
