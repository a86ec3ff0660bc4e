import type { FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';

/**
 * This server's origin as browsers reach it: the origin of LUMIO_PUBLIC_URL
 * when set (parsed once, here), else the request's own scheme and Host.
 */
export function serverOrigin(config: Pick<Config, 'publicUrl'>): (request: FastifyRequest) => string {
  const configured = config.publicUrl ? new URL(config.publicUrl).origin : null;
  return (request) => configured ?? `${request.protocol}://${request.host}`;
}
