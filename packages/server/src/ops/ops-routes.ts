import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../http/app-deps.js';
import { isMigrated } from '../db/migrate.js';

/** Health and Prometheus metrics. */
export function registerOpsRoutes(app: FastifyInstance, deps: Pick<AppDeps, 'adapter' | 'metrics'>): void {
  let migrated = false;
  app.get('/healthz', { config: { lumio: { scope: 'public' } }, logLevel: 'warn' }, async (_request, reply) => {
    try {
      await deps.adapter.ping();
      // Once migrated, a schema never goes back; only the ping needs repeating.
      migrated ||= await isMigrated(deps.adapter);
      if (!migrated) return reply.status(503).send({ status: 'unavailable', reason: 'database not migrated' });
      return { status: 'ok', database: deps.adapter.name };
    } catch {
      return reply.status(503).send({ status: 'unavailable', reason: 'database unreachable' });
    }
  });

  app.get('/metrics', { config: { lumio: { scope: 'public' } }, logLevel: 'warn' }, async (_request, reply) => {
    return reply.header('content-type', deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}
