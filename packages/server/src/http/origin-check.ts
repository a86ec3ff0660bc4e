import type { FastifyRequest } from 'fastify';
import { LumioError } from '../errors/lumio-error.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for the cookie-authenticated dashboard API, on top of
 * SameSite=Lax: a state-changing request must come from the dashboard's own
 * origin. Requests with no Origin and no Sec-Fetch-Site (curl, scripts) carry
 * no ambient browser credentials of a victim, so they pass.
 */
export function checkOrigin(request: FastifyRequest, originOf: (request: FastifyRequest) => string): void {
  if (SAFE_METHODS.has(request.method)) return;
  const expected = originOf(request);
  const origin = request.headers.origin;
  const fetchSite = request.headers['sec-fetch-site'];
  if (origin !== undefined) {
    if (origin !== expected)
      throw new LumioError('origin_not_allowed', `Requests that change state must come from ${expected}; this one came from ${origin}.`);
    return;
  }
  if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') {
    throw new LumioError('origin_not_allowed');
  }
}
