import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  acceptInviteBody,
  inviteBody,
  memberRoleBody,
  workspaceBody,
  type CreatedInvite,
  type InvitesAnswer,
  type MembersAnswer,
  type PasswordResetLink,
  type WorkspacesAnswer,
} from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import type { Guards } from '../http/guards.js';
import { parseWith } from '../http/parse-body.js';
import { actorOf } from '../audit/actor-of.js';
import { workspaceOf } from '../http/request-context.js';
import { invitePath, type TeamService } from './team-service.js';
import type { AuthSessions } from '../accounts/auth-sessions.js';
import { startSessionCookie } from '../accounts/session-cookie.js';
import type { WorkspacesService } from '../workspaces/workspaces-service.js';

/** Workspaces of the signed-in account, and the team of a workspace (owner/admin). */
export function registerTeamRoutes(
  app: FastifyInstance,
  deps: Pick<AppDeps, 'config'>,
  services: { team: TeamService; workspaces: WorkspacesService; sessions: AuthSessions },
  guards: Guards,
): void {
  const { team, workspaces, sessions } = services;
  const origin = (request: FastifyRequest) => deps.config.publicUrl ?? `${request.protocol}://${request.host}`;
  const link = (request: FastifyRequest, path: string, token: string) => `${origin(request)}${path}#token=${encodeURIComponent(token)}`;
  const admin = guards.workspaceRoute('admin');
  const member = guards.workspaceRoute('member');
  // Routes that change an account other than the caller's: they apply hasAccountPower (account-power.test.ts walks them).
  const adminOverAccount = guards.workspaceRoute('admin', { changesOtherAccount: true });

  app.get(
    '/api/v1/workspaces',
    { config: { lumio: { scope: 'account' } }, preHandler: guards.requireAccount },
    async (request): Promise<WorkspacesAnswer> => ({
      workspaces: await workspaces.listForAccount(request.account!.id),
    }),
  );

  app.post('/api/v1/workspaces', { config: { lumio: { scope: 'account' } }, preHandler: guards.requireAccount }, async (request, reply) => {
    const body = parseWith(workspaceBody, request.body);
    return reply.status(201).send(await workspaces.create(body.name, request.account!.id, actorOf(request)));
  });

  app.get('/api/v1/workspaces/:workspaceId/members', member, async (request): Promise<MembersAnswer> => ({
    members: await team.listMembers(workspaceOf(request).id),
  }));

  app.patch('/api/v1/workspaces/:workspaceId/members/:accountId', admin, async (request) => {
    const { accountId } = request.params as { accountId: string };
    const body = parseWith(memberRoleBody, request.body);
    const ws = workspaceOf(request);
    return team.changeRole(ws.id, accountId, body.role, actorOf(request), ws.role);
  });

  app.delete('/api/v1/workspaces/:workspaceId/members/:accountId', adminOverAccount, async (request, reply) => {
    const { accountId } = request.params as { accountId: string };
    const ws = workspaceOf(request);
    await team.removeMember(ws.id, accountId, actorOf(request), ws.role);
    return reply.status(204).send();
  });

  app.post('/api/v1/workspaces/:workspaceId/members/:accountId/password-reset', adminOverAccount, async (request, reply) => {
    const { accountId } = request.params as { accountId: string };
    const reset = await team.issuePasswordReset(workspaceOf(request).id, accountId, actorOf(request));
    return reply.status(201).send({
      url: link(request, '/app/reset-password', reset.token),
      token: reset.token,
      expiresAt: reset.expiresAt,
    } satisfies PasswordResetLink);
  });

  app.get('/api/v1/workspaces/:workspaceId/invites', admin, async (request): Promise<InvitesAnswer> => ({
    invites: await team.listInvites(workspaceOf(request).id),
  }));

  app.post('/api/v1/workspaces/:workspaceId/invites', admin, async (request, reply) => {
    const body = parseWith(inviteBody, request.body);
    const ws = workspaceOf(request);
    const invite = await team.createInvite(ws.id, body.role, actorOf(request), ws.role, body.email);
    return reply
      .status(201)
      .send({ ...invite, url: `${origin(request)}${invitePath(invite.token, invite.email)}` } satisfies CreatedInvite);
  });

  app.delete('/api/v1/workspaces/:workspaceId/invites/:inviteId', admin, async (request, reply) => {
    const { inviteId } = request.params as { inviteId: string };
    await team.revokeInvite(workspaceOf(request).id, inviteId, actorOf(request));
    return reply.status(204).send();
  });

  app.post('/api/v1/invites/accept', { config: { lumio: { scope: 'public' } } }, async (request, reply) => {
    const body = parseWith(acceptInviteBody, request.body);
    await guards.loadAccount(request);
    const who = request.account ? { accountId: request.account.id } : { email: body.email, password: body.password ?? '', name: body.name };
    const result = await team.acceptInvite(body.token, who, request.ip);
    // A new account is signed in at once, with the same session and cookie rules as sign-in; a signed-in one keeps its session.
    if (!request.account) await startSessionCookie(deps, sessions, request, reply, result.accountId);
    return reply.status(201).send(result);
  });
}
