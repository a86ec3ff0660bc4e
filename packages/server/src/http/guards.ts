import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { hasRole, type Role } from '@lumio/protocol';
import { LumioError } from '../errors/lumio-error.js';
import { SESSION_COOKIE, type AccountContext, type ApiKeyContext } from './request-context.js';

/** Route metadata read by the guards and by the tenant-isolation test. */
export interface RouteScope {
  /**
   * `workspace`: dashboard route under /workspaces/:workspaceId; `api-key`: server API; `account`: signed-in only;
   * `instance`: the instance owner only (instance/instance-routes.ts); `public`.
   */
  scope: 'workspace' | 'api-key' | 'account' | 'instance' | 'public' | 'widget';
  /** Least role for workspace routes. */
  minRole?: Role;
  /**
   * The route changes an account other than the caller's (its password, its
   * sessions): it must check hasAccountPower, and account-power.test.ts runs
   * the cross-workspace takeover scenario against it.
   */
  changesOtherAccount?: true;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    lumio?: RouteScope;
  }
}

/**
 * What the guards ask of the features that own sessions, memberships and API
 * keys. http/ is the layer features build on, so it names what it needs and
 * the composition root (app/create-app.ts) hands in the features that do it.
 */
export interface GuardServices {
  sessions: { resolve(token: string): Promise<AccountContext | null> };
  workspaces: { roleOf(workspaceId: string, accountId: string): Promise<Role | null> };
  /** Answers the key, or throws `invalid_api_key`. */
  apiKeys: { authenticate(token: string): Promise<ApiKeyContext> };
}

/** Builds the guard hooks used by route modules. */
export function createGuards({ sessions, workspaces, apiKeys }: GuardServices) {
  const loadAccount = async (request: FastifyRequest): Promise<void> => {
    const token = request.cookies[SESSION_COOKIE];
    request.account = token ? await sessions.resolve(token) : null;
  };

  /** Requires a signed-in dashboard account. */
  const requireAccount: preHandlerAsyncHookHandler = async (request) => {
    await loadAccount(request);
    if (!request.account) throw new LumioError('unauthenticated');
  };

  /**
   * Requires membership of `:workspaceId` with at least `minRole`. A
   * non-member gets 404, so workspace ids cannot be probed.
   */
  const requireWorkspace = (minRole: Role): preHandlerAsyncHookHandler =>
    async function workspaceGuard(request) {
      await requireAccount.call(this, request, undefined as unknown as FastifyReply);
      const { workspaceId } = request.params as { workspaceId?: string };
      if (!workspaceId) throw new Error('workspace route without :workspaceId');
      const role = await workspaces.roleOf(workspaceId, request.account!.id);
      if (!role) throw new LumioError('not_found', 'No such workspace, or you are not a member.');
      if (!hasRole(role, minRole)) throw new LumioError('forbidden', `This needs the ${minRole} role or higher; you are ${role}.`);
      request.workspace = { id: workspaceId, role };
    };

  /** Requires a workspace API key as `Authorization: Bearer lk_…`. */
  const requireApiKey: preHandlerAsyncHookHandler = async (request) => {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new LumioError('invalid_api_key', 'Send the API key as "Authorization: Bearer lk_…".');
    request.apiKey = await apiKeys.authenticate(match[1]!);
    request.workspace = { id: request.apiKey.workspaceId, role: 'admin' };
  };

  /**
   * Route options of a workspace route: the guard and the scope metadata the
   * tenant-isolation test reads, made together so they cannot disagree.
   */
  const workspaceRoute = <R extends Role>(minRole: R, extra: Pick<RouteScope, 'changesOtherAccount'> = {}) => ({
    config: { lumio: { scope: 'workspace' as const, minRole, ...extra } },
    preHandler: requireWorkspace(minRole),
  });

  return { loadAccount, requireAccount, requireWorkspace, requireApiKey, workspaceRoute };
}

/** The guard hooks a route module receives. */
export type Guards = ReturnType<typeof createGuards>;
