import type { FastifyRequest } from 'fastify';
import type { Actor } from './audit-log.js';

/** The audit actor of a request: its account or API key, and client IP. */
export function actorOf(request: FastifyRequest): Actor {
  if (request.account) return { type: 'account', id: request.account.id, ip: request.ip };
  if (request.apiKey) return { type: 'api_key', id: request.apiKey.id, ip: request.ip };
  return { type: 'account', id: null, ip: request.ip };
}
