import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../http/app-deps.js';
import { LumioError } from '../errors/lumio-error.js';
import { STORAGE_RETRY_AFTER_SECONDS } from '../http/error-handler.js';
import type { Readiness } from './readiness.js';

/**
 * Liveness, readiness and Prometheus metrics. `/healthz` says the process
 * answers and touches nothing else, so an orchestrator restarts only a stuck
 * process, never a healthy one whose disk is full; `/readyz` says it can write
 * now (see {@link Readiness}), so traffic goes elsewhere until it can.
 */
export function registerOpsRoutes(app: FastifyInstance, deps: Pick<AppDeps, 'adapter' | 'metrics'>, readiness: Readiness): void {
  app.get('/healthz', { config: { lumio: { scope: 'public' } }, logLevel: 'warn' }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { lumio: { scope: 'public' } }, logLevel: 'warn' }, async () => {
    const result = await readiness.check();
    if (result.ready) return { status: 'ready', database: deps.adapter.name };
    if (result.reason === 'not_migrated') throw new LumioError('service_unavailable', undefined, { reason: 'database not migrated' });
    throw new LumioError(
      'storage_unavailable',
      undefined,
      { reason: result.reason, retryAfterSeconds: STORAGE_RETRY_AFTER_SECONDS },
      { 'retry-after': String(STORAGE_RETRY_AFTER_SECONDS) },
    );
  });

  app.get('/metrics', { config: { lumio: { scope: 'public' } }, logLevel: 'warn' }, async (_request, reply) => {
    return reply.header('content-type', deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}
