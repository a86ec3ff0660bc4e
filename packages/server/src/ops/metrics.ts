import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics of one server instance (its own registry, so tests can build many apps). */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  identifyOutcomes: Counter<'outcome' | 'reason'>;
  rateLimited: Counter<'route'>;
  eventsIngested: Counter;
  eventsRejected: Counter<'reason'>;
  identifySnapshots: Counter<'from'>;
}

/** Creates the registry with default process metrics and Lumio's own. */
export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'lumio_' });
  return {
    registry,
    httpDuration: new Histogram({
      name: 'lumio_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    identifyOutcomes: new Counter({
      name: 'lumio_identify_outcomes_total',
      help: 'Identify calls by outcome (verified, identified, failed) and reason',
      labelNames: ['outcome', 'reason'],
      registers: [registry],
    }),
    eventsIngested: new Counter({
      name: 'lumio_events_ingested_total',
      help: 'Analytics events stored',
      registers: [registry],
    }),
    eventsRejected: new Counter({
      name: 'lumio_events_rejected_total',
      help: 'Analytics events not stored, by reason (an error code, duplicate, or events_quota_exceeded)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    identifySnapshots: new Counter({
      name: 'lumio_identify_snapshot_reads_total',
      help: "Identify's reads of a user and its anonymous link, answered from memory or from the database",
      labelNames: ['from'],
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'lumio_rate_limited_total',
      help: 'Requests refused with 429 by route',
      labelNames: ['route'],
      registers: [registry],
    }),
  };
}
