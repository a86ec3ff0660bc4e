import type { ReactNode } from 'react';
import { PageHeader } from '../ui/page-header.js';
import { canManage, useWorkspace } from '../workspaces/use-workspace.js';

/**
 * Renders an owner/admin page, or, for a member who opened its URL, says who
 * can use it (the API would refuse them anyway; nothing is requested).
 */
export function ManagersOnly({ title, children }: { title: string; children: ReactNode }) {
  const workspace = useWorkspace();
  if (canManage(workspace.role)) return <>{children}</>;
  return (
    <>
      <PageHeader title={title} />
      <p className="notice notice-warning" role="status">
        Only owners and admins of {workspace.name} can see this page. Ask one of them if you need something changed here.
      </p>
    </>
  );
}
