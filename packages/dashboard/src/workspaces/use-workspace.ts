import type { Role, WorkspaceView } from '@lumio/protocol';
import { useParams } from 'react-router';
import { useSession } from '../auth/use-session.js';

/** The workspace of the current page (`/w/:workspaceId/…`) with the account's role in it. */
export function useWorkspace(): WorkspaceView {
  const { workspaceId } = useParams();
  const session = useSession();
  const workspace = session.data?.workspaces.find((w) => w.id === workspaceId);
  // WorkspaceLayout renders pages only for a workspace of the session.
  if (!workspace) throw new Error(`not a workspace of this account: ${workspaceId}`);
  return workspace;
}

/** Whether a role may manage the team, keys, widgets' secrets and the audit log (the API's rule, mirrored). */
export function canManage(role: Role): boolean {
  return role === 'owner' || role === 'admin';
}
