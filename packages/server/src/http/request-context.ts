import type { Role } from '@lumio/protocol';

/** Name of the dashboard session cookie (set by accounts/, read by the guards). */
export const SESSION_COOKIE = 'lumio_session';

/** The signed-in dashboard account of a request. */
export interface AccountContext {
  id: string;
  email: string;
  name: string;
  sessionHash: string;
  /** When the account last proved its password (sign-in or confirmation). */
  reauthAt: number;
}

/** The workspace a request acts on and the caller's role there. */
export interface WorkspaceContext {
  id: string;
  role: Role;
}

/** The workspace API key of a server-to-server request. */
export interface ApiKeyContext {
  id: string;
  workspaceId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    account: AccountContext | null;
    workspace: WorkspaceContext | null;
    apiKey: ApiKeyContext | null;
  }
}

/** The workspace context of a request that passed a workspace guard. */
export function workspaceOf(request: { workspace: WorkspaceContext | null }): WorkspaceContext {
  if (!request.workspace) throw new Error('Route is missing its workspace guard');
  return request.workspace;
}

/** The account of a request that passed the sign-in guard. */
export function accountOf(request: { account: AccountContext | null }): AccountContext {
  if (!request.account) throw new Error('Route is missing its sign-in guard');
  return request.account;
}
