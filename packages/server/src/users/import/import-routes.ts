import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../http/app-deps.js';
import type { Guards } from '../../http/guards.js';
import { actorOf } from '../../audit/actor-of.js';
import { workspaceOf } from '../../http/request-context.js';
import { LumioError } from '../../errors/lumio-error.js';
import type { AuditLog } from '../../audit/audit-log.js';
import type { GroupCommit } from '../../db/group-commit.js';
import { CompaniesStore } from '../../companies/companies-store.js';
import type { UsersStore } from '../users-store.js';
import { ImportBatchWriter } from './import-batch-writer.js';
import { IMPORT_BATCH_SIZE, IMPORT_MAX_ERRORS, importUsers, type ImportSummary } from './user-import.js';

const FORMATS: Record<string, 'csv' | 'ndjson'> = { 'text/csv': 'csv', 'application/x-ndjson': 'ndjson' };

/**
 * The request body, untouched: the stream sits in a private field, so the
 * unsafe-text guard (which walks a parsed body's keys) sees nothing to walk;
 * rows are checked one by one instead.
 */
class StreamedBody {
  readonly #stream: Readable;
  constructor(stream: Readable) {
    this.#stream = stream;
  }
  get stream(): Readable {
    return this.#stream;
  }
}

/**
 * `POST /server/v1/users/import` (workspace API key): a CSV or NDJSON file of
 * users, streamed, never held whole (docs/server-api.md#import). Registered
 * in its own scope, whose only body parser hands the request stream through,
 * so the app's 64 KiB JSON limit does not apply and LUMIO_IMPORT_MAX_BYTES does.
 */
export function registerUserImportRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'adapter' | 'clock' | 'config'>,
  services: { users: UsersStore; audit: AuditLog; writes: GroupCommit },
  guards: Guards,
): void {
  const writer = new ImportBatchWriter(deps, services.users, new CompaniesStore(deps));
  const limits = {
    maxBytes: deps.config.importMaxBytes,
    maxRowBytes: deps.config.bodyLimitBytes,
    batchSize: IMPORT_BATCH_SIZE,
    maxErrors: IMPORT_MAX_ERRORS,
  };
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, new StreamedBody(payload)));
    scope.post(
      '/server/v1/users/import',
      { config: { lumio: { scope: 'api-key' as const } }, preHandler: guards.requireApiKey },
      async (request): Promise<ImportSummary> => {
        const format = formatOf(request);
        const declared = Number(request.headers['content-length']);
        // Refused before a byte is read when the size is declared; counted as it streams otherwise.
        if (declared > limits.maxBytes) {
          throw new LumioError(
            'payload_too_large',
            `The file is ${declared} bytes; this server accepts at most ${limits.maxBytes} per import (LUMIO_IMPORT_MAX_BYTES): split it.`,
            { maxBytes: limits.maxBytes },
          );
        }
        // Read without destroying the request when the import stops early: the
        // error answer must still reach the client (Node discards the rest of the body).
        const body = request.body instanceof StreamedBody ? request.body.stream.iterator({ destroyOnReturn: false }) : emptyBody();
        return importUsers(
          { writer, writes: services.writes, audit: services.audit },
          workspaceOf(request).id,
          actorOf(request),
          format,
          body,
          limits,
        );
      },
    );
  });
}

function formatOf(request: FastifyRequest): 'csv' | 'ndjson' {
  const [type = '', ...parameters] = (request.headers['content-type'] ?? '').split(';').map((part) => part.trim().toLowerCase());
  const format = FORMATS[type];
  const charset = parameters
    .find((p) => p.startsWith('charset='))
    ?.slice(8)
    .replace(/"/g, '');
  if (!format || (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')) {
    throw new LumioError('unsupported_media_type', 'Send the file as text/csv or application/x-ndjson, in UTF-8.');
  }
  return format;
}

async function* emptyBody(): AsyncGenerator<Buffer> {}
