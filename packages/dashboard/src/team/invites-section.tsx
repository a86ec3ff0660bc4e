import {
  inviteBody,
  type CreatedInvite,
  type InviteBody,
  type InvitesAnswer,
  type InviteView,
  type OneTimeLink,
  type Role,
  type WorkspaceView,
} from '@lumio/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api/api-client.js';
import { formIssue, issueFor } from '../api/form-issue.js';
import { Button } from '../ui/button.js';
import { actionColumn } from '../ui/action-column.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { DataTable } from '../ui/data-table.js';
import { ErrorMessage } from '../ui/error-message.js';
import { formatTime } from '../ui/format.js';
import { QueryState } from '../ui/query-state.js';
import { SelectField } from '../ui/select-field.js';
import { OneTimeLinkDialog } from './one-time-link-dialog.js';
import { ROLE_LABELS } from './role-labels.js';

/** Invites by link: create one with a role (the link shown once), list the pending ones, revoke. */
export function InvitesSection({ workspace }: { workspace: WorkspaceView }) {
  const client = useQueryClient();
  const key = ['invites', workspace.id];
  const invites = useQuery({ queryKey: key, queryFn: () => api<InvitesAnswer>(`/workspaces/${workspace.id}/invites`) });
  const [role, setRole] = useState<Role>('member');
  const [link, setLink] = useState<OneTimeLink | null>(null);
  const [revoking, setRevoking] = useState<InviteView | null>(null);
  const [tried, setTried] = useState(false);
  const body: InviteBody = { role };
  const issue = tried ? formIssue(inviteBody, body) : null;
  const create = useMutation({
    mutationFn: () => api<CreatedInvite>(`/workspaces/${workspace.id}/invites`, { method: 'POST', body }),
    onSuccess: async (invite) => {
      setLink({ url: invite.url, expiresAt: invite.expiresAt });
      await client.invalidateQueries({ queryKey: key });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api<void>(`/workspaces/${workspace.id}/invites/${id}`, { method: 'DELETE' }),
    onSuccess: async () => {
      setRevoking(null);
      await client.invalidateQueries({ queryKey: key });
    },
  });
  // Only an owner invites an owner.
  const roles: Role[] = workspace.role === 'owner' ? ['member', 'admin', 'owner'] : ['member', 'admin'];

  return (
    <section className="card" aria-labelledby="invites-heading">
      <h2 id="invites-heading">Invites</h2>
      <form
        className="row team-invite-form"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          setTried(true);
          if (!formIssue(inviteBody, body)) create.mutate();
        }}
      >
        <SelectField
          label="Role of the new member"
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
          options={roles.map((r) => [r, ROLE_LABELS[r]])}
          error={issueFor(issue, 'role')}
        />
        <Button type="submit" variant="primary" busy={create.isPending}>
          Create invite link
        </Button>
      </form>
      <ErrorMessage error={create.error} />
      <h3>Pending invites</h3>
      <QueryState query={invites}>
        {({ invites: list }) => (
          <DataTable
            rows={list}
            rowKey={(invite) => invite.id}
            empty="No pending invites."
            columns={[
              { header: 'Role', cell: (invite) => ROLE_LABELS[invite.role] },
              { header: 'Created', cell: (invite) => formatTime(invite.createdAt) },
              { header: 'Expires', cell: (invite) => formatTime(invite.expiresAt) },
              actionColumn<InviteView>({
                label: 'Revoke',
                name: (invite) => `Revoke the ${invite.role} invite created ${formatTime(invite.createdAt)}`,
                onClick: setRevoking,
              }),
            ]}
          />
        )}
      </QueryState>
      <OneTimeLinkDialog title="Invite link" link={link} onClose={() => setLink(null)} />
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title="Revoke this invite?"
        description="The link stops working at once; whoever has it can no longer join."
        confirmLabel="Revoke invite"
        mutation={revoke}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
      />
    </section>
  );
}
