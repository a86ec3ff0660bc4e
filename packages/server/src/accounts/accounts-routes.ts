import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  accountNameBody,
  changePasswordBody,
  confirmPasswordBody,
  passwordResetBody,
  setupBody,
  signInBody,
  type RenamedAccount,
  type SessionView,
  type SetupStatus,
  type SignInAnswer,
} from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import type { Guards } from '../http/guards.js';
import { parseWith } from '../http/parse-body.js';
import { accountOf } from '../http/request-context.js';
import { LumioError } from '../errors/lumio-error.js';
import type { AccountsService } from './accounts-service.js';
import { SESSION_COOKIE, type AuthSessions } from './auth-sessions.js';
import type { SetupService } from './setup-service.js';
import type { SignInThrottle } from './sign-in-throttle.js';
import type { WorkspacesService } from '../workspaces/workspaces-service.js';
import type { Actor, AuditAction, AuditLog } from '../audit/audit-log.js';

/** Setup, sign-in/out, the current account (name, password), re-authentication and password resets. */
export function registerAccountsRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'config' | 'metrics'>,
  services: {
    accounts: AccountsService;
    sessions: AuthSessions;
    setup: SetupService;
    workspaces: WorkspacesService;
    audit: AuditLog;
    throttle: SignInThrottle;
  },
  guards: Guards,
): void {
  const { accounts, sessions, setup, workspaces, audit, throttle } = services;
  // A change to an account concerns every workspace it can act in: each one's owners and admins see it in their audit log.
  const recordForAccount = async (
    accountId: string,
    request: FastifyRequest,
    action: AuditAction,
    details: Record<string, unknown> = {},
  ) => {
    const actor: Actor = { type: 'account', id: accountId, ip: request.ip };
    for (const workspace of await workspaces.listForAccount(accountId))
      await audit.record(workspace.id, actor, action, { type: 'account', id: accountId }, details);
  };
  const httpsPublicUrl = deps.config.publicUrl?.startsWith('https://') ?? false;
  const signIn = async (request: FastifyRequest, reply: FastifyReply, accountId: string) => {
    const token = await sessions.create(accountId, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
    void reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      // request.protocol follows X-Forwarded-Proto only from a trusted proxy (LUMIO_TRUST_PROXY).
      secure: httpsPublicUrl || request.protocol === 'https',
      path: '/',
      maxAge: deps.config.session.absoluteSeconds,
    });
  };

  app.get('/api/v1/setup', { config: { lumio: { scope: 'public' } } }, async (): Promise<SetupStatus> => ({
    needed: await setup.pending(),
  }));

  app.post('/api/v1/setup', { config: { lumio: { scope: 'public' } } }, async (request, reply) => {
    const body = parseWith(setupBody, request.body);
    const result = await setup.complete(body.token, body);
    await signIn(request, reply, result.account.id);
    return reply.status(201).send(result);
  });

  // Requests per IP here; failed passwords per account and per (account, IP) in the throttle.
  app.post(
    '/api/v1/auth/login',
    {
      config: {
        lumio: { scope: 'public' },
        rateLimit: {
          max: deps.config.rateLimits.loginPerIpPerMinute,
          timeWindow: 60_000,
          keyGenerator: (r: FastifyRequest) => `login-ip:${r.ip}`,
        },
      },
    },
    async (request, reply): Promise<SignInAnswer> => {
      const body = parseWith(signInBody, request.body);
      // Known and unknown emails take the same path and answer alike (see SignInThrottle).
      const account = await throttle.attempt(request, body.email, () => accounts.authenticate(body.email, body.password));
      if (!account) throw new LumioError('invalid_credentials');
      await signIn(request, reply, account.id);
      return { account, workspaces: await workspaces.listForAccount(account.id) };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { config: { lumio: { scope: 'account' } }, preHandler: guards.requireAccount },
    async (request, reply) => {
      await sessions.destroy(accountOf(request).sessionHash);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/auth/me',
    { config: { lumio: { scope: 'account' } }, preHandler: guards.requireAccount },
    async (request): Promise<SessionView> => {
      const account = accountOf(request);
      return {
        account: { id: account.id, email: account.email, name: account.name },
        workspaces: await workspaces.listForAccount(account.id),
      };
    },
  );

  app.patch(
    '/api/v1/auth/me',
    { config: { lumio: { scope: 'account' } }, preHandler: guards.requireAccount },
    async (request): Promise<RenamedAccount> => {
      const body = parseWith(accountNameBody, request.body);
      const account = await accounts.rename(accountOf(request).id, body.name);
      await recordForAccount(account.id, request, 'account.rename', { name: account.name });
      return { account: { id: account.id, email: account.email, name: account.name } };
    },
  );

  // A password check like sign-in: its failures count as the account's failed sign-ins (SignInThrottle).
  app.post(
    '/api/v1/auth/change-password',
    {
      config: {
        lumio: { scope: 'account' },
        rateLimit: {
          max: deps.config.rateLimits.loginPerIpPerMinute,
          timeWindow: 60_000,
          keyGenerator: (r: FastifyRequest) => `change-password:${r.ip}`,
        },
      },
      preHandler: guards.requireAccount,
    },
    async (request) => {
      const body = parseWith(changePasswordBody, request.body);
      const account = accountOf(request);
      const changed = await throttle.attempt(request, account.email, async () =>
        (await accounts.changePassword(account.id, body.currentPassword, body.newPassword)) ? true : null,
      );
      if (!changed) throw new LumioError('invalid_credentials', 'The current password is wrong.');
      await recordForAccount(account.id, request, 'account.password_change');
      // Whoever else signed in with the old password is signed out; this session proved it just now.
      await sessions.destroyOthers(account.id, account.sessionHash);
      await sessions.markReauthenticated(account.sessionHash);
      return { changed: true };
    },
  );

  app.post(
    '/api/v1/auth/confirm-password',
    {
      config: {
        lumio: { scope: 'account' },
        rateLimit: {
          max: deps.config.rateLimits.loginPerIpPerMinute,
          timeWindow: 60_000,
          keyGenerator: (r: FastifyRequest) => `reauth:${r.ip}`,
        },
      },
      preHandler: guards.requireAccount,
    },
    async (request) => {
      const body = parseWith(confirmPasswordBody, request.body);
      const account = accountOf(request);
      const confirmed = await throttle.attempt(request, account.email, async () =>
        (await accounts.confirmPassword(account.id, body.password)) ? true : null,
      );
      if (!confirmed) throw new LumioError('invalid_credentials', 'The password is wrong.');
      await sessions.markReauthenticated(account.sessionHash);
      return { confirmed: true };
    },
  );

  app.post(
    '/api/v1/auth/password-reset',
    {
      config: {
        // The link acts with its issuer's power, checked again here (AccountsService.resetPassword).
        lumio: { scope: 'public', changesOtherAccount: true },
        rateLimit: {
          max: deps.config.rateLimits.loginPerIpPerMinute,
          timeWindow: 60_000,
          keyGenerator: (r: FastifyRequest) => `reset-ip:${r.ip}`,
        },
      },
    },
    async (request, reply) => {
      const body = parseWith(passwordResetBody, request.body);
      const accountId = await accounts.resetPassword(body.token, body.password);
      // A reset means the old password may be known to someone else: end every session.
      await sessions.destroyAll(accountId);
      await recordForAccount(accountId, request, 'account.password_reset');
      await signIn(request, reply, accountId);
      return { reset: true };
    },
  );
}
