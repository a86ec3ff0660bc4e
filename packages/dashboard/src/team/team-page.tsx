import { PageHeader } from '../ui/page-header.js';
import { useWorkspace } from '../workspaces/use-workspace.js';
import { InvitesSection } from './invites-section.js';
import { ManagersOnly } from './managers-only.js';
import { MembersSection } from './members-section.js';
import './team.css';

/** The team of the workspace (owners and admins): members, roles, invites, password-reset links. */
export function TeamPage() {
  const workspace = useWorkspace();
  return (
    <ManagersOnly title="Team">
      <PageHeader title="Team" description={`Who can work on ${workspace.name}, and with which role.`} />
      <MembersSection workspace={workspace} />
      <InvitesSection workspace={workspace} />
    </ManagersOnly>
  );
}
