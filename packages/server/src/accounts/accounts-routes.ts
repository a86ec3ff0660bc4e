import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  accountNameBody,
  changePasswordBody,
  confirmPasswordBody,
  forgotPasswordBody,
  passwordResetBody,
  setupBody,
  signInBody,
  type EmailStatus,
  type ForgotPasswordAnswer,
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
import type { AuthSessions } from './auth-sessions.js';
import { SESSION_COOKIE } from '../http/request-context.js';
import { startSessionCookie } from './session-cookie.js';
import type { SetupService } from './setup-service.js';
import type { ForgotPassword } from './forgot-password.js';
import type { SignInThrottle } from './sign-in-throttle.js';
import type { WorkspacesService } from '../workspaces/workspaces-service.js';
import type { Actor, AuditAction, AuditLog } from '../audit/audit-log.js';

/** "Forgot password?" requests per address per 15 minutes: enough for a typo and a retry, too few to flood an inbox. */
const FORGOT_PER_ADDRESS = 3;

/** Setup, sign-in/out, the current account (name, password), re-authentication and password resets. */
export function registerAccountsRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'config' | 'metrics' | 'mailer'>,
  services: {
    accounts: AccountsService;
    sessions: AuthSessions;
    setup: SetupService;
    workspaces: WorkspacesService;
    audit: AuditLog;
    throttle: SignInThrottle;
    forgotPassword: ForgotPassword;
  },
  guards: Guards,
): void {
  const { accounts, sessions, setup, workspaces, audit, throttle, forgotPassword } = services;
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
  const signIn = (request: FastifyRequest, reply: FastifyReply, accountId: string) =>
    startSessionCookie(deps, sessions, request, reply, accountId);

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

  // Public on purpose, and only this bit: the forgot-password page says plainly when no email can come.
  app.get('/api/v1/auth/email-status', { config: { lumio: { scope: 'public' } } }, async (): Promise<EmailStatus> => ({
    emailEnabled: deps.mailer.configured,
  }));

  // The same answer for every address, known or not, email configured or not: the
  // lookup and the email run after it (ForgotPassword). Requests per IP here, per address below.
  app.post(
    '/api/v1/auth/forgot-password',
    {
      config: {
        lumio: { scope: 'public' },
        rateLimit: {
          max: deps.config.rateLimits.loginPerIpPerMinute,
          timeWindow: 60_000,
          keyGenerator: (r: FastifyRequest) => `forgot-ip:${r.ip}`,
        },
      },
    },
    async (request, reply) => {
      const body = parseWith(forgotPasswordBody, request.body);
      await throttle.limitPerAddress(request, body.email, 'forgot-password', FORGOT_PER_ADDRESS);
      forgotPassword.request(body.email);
      return reply.status(202).send({ requested: true } satisfies ForgotPasswordAnswer);
    },
  );
}
