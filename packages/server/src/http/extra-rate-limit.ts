import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { LumioError } from '../errors/lumio-error.js';
import type { Metrics } from '../ops/metrics.js';

/**
 * A second rate limit on a route (e.g. per account beside per IP). The
 * plugin's own route limiter marks a request as limited once, so a second
 * `rateLimit()` hook would silently never count: this one uses
 * `createRateLimit`, which always counts, and answers 429 itself.
 */
export function extraRateLimit(
  app: FastifyInstance,
  metrics: Metrics,
  options: { max: number; timeWindow: number; keyGenerator: (request: FastifyRequest) => string },
): preHandlerAsyncHookHandler {
  const check = app.createRateLimit(options);
  return async function extraRateLimitHook(request, reply) {
    const result = await check(request);
    if (result.isAllowed) return;
    if (!result.isExceeded) return;
    metrics.rateLimited.inc({ route: request.routeOptions.url ?? 'unknown' });
    const seconds = Math.max(1, result.ttlInSeconds);
    void reply.header('retry-after', String(seconds));
    throw new LumioError('rate_limited', `Too many requests; try again in ${seconds} s.`, { retryAfterSeconds: seconds });
  };
}
