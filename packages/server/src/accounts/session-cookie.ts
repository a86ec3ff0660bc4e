import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../http/app-deps.js';
import type { AuthSessions } from './auth-sessions.js';
import { SESSION_COOKIE } from '../http/request-context.js';

/**
 * Signs an account in on this response: a new session and its httpOnly
 * cookie. Every way in (sign-in, setup, a password reset, accepting an invite
 * with a new account) goes through here, so the cookie rules are one.
 */
export async function startSessionCookie(
  deps: Pick<AppDeps, 'config'>,
  sessions: AuthSessions,
  request: FastifyRequest,
  reply: FastifyReply,
  accountId: string,
): Promise<void> {
  const token = await sessions.create(accountId, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
  void reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    // request.protocol follows X-Forwarded-Proto only from a trusted proxy (LUMIO_TRUST_PROXY).
    secure: (deps.config.publicUrl?.startsWith('https://') ?? false) || request.protocol === 'https',
    path: '/',
    maxAge: deps.config.session.absoluteSeconds,
  });
}
