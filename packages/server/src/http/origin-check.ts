import type { FastifyRequest } from 'fastify';
import { LumioError } from '../errors/lumio-error.js';
import type { RouteScope } from './guards.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Scopes whose routes authenticate with a credential the caller must put in
 * the request itself (the widget's session token, a server API key). A
 * browser never attaches those to a forged cross-site request, so they need
 * no Origin check; every other scope may be reached with the dashboard's
 * session cookie.
 */
const BEARER_SCOPES: ReadonlySet<RouteScope['scope']> = new Set(['widget', 'api-key']);

/**
 * Whether a request needs the Origin check, decided from the matched route's
 * own configuration and the method, never from the URL: the router decodes
 * and matches paths its own way (`/%61pi/v1/…` is `/api/v1/…`), and a rule
 * keyed on the raw URL misses every spelling it did not foresee. A request
 * that matched no route is checked too (default deny): it changes nothing,
 * so a foreign Origin may as well hear 403 as 404.
 */
export function needsOriginCheck(method: string, scope: RouteScope | undefined): boolean {
  if (SAFE_METHODS.has(method)) return false;
  return scope === undefined || !BEARER_SCOPES.has(scope.scope);
}

/**
 * CSRF defence for the cookie-authenticated dashboard API, on top of
 * SameSite=Lax: a state-changing request must come from the dashboard's own
 * origin. Requests with no Origin and no Sec-Fetch-Site (curl, scripts) carry
 * no ambient browser credentials of a victim, so they pass.
 */
export function checkOrigin(request: FastifyRequest, originOf: (request: FastifyRequest) => string): void {
  if (!needsOriginCheck(request.method, routeScope(request))) return;
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

// The matched route's scope; undefined when no route matched (the 404 handler).
function routeScope(request: FastifyRequest): RouteScope | undefined {
  if (request.is404) return undefined;
  return request.routeOptions.config.lumio;
}
