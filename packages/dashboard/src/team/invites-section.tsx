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
import { TextField } from '../ui/text-field.js';
import { useEmailStatus } from '../auth/use-email-status.js';
import { OneTimeLinkDialog } from './one-time-link-dialog.js';
import { ROLE_LABELS } from './role-labels.js';

// What happened to a new invite's email, said above its link (which is shown in every case, as a fallback).
function EmailOutcome({ invite }: { invite: CreatedInvite }) {
  if (invite.email === null) return null;
  if (invite.emailed)
    return (
      <p className="notice notice-ok" role="status">
        Sent to {invite.email}. The link below is the same one, if you want to send it another way.
      </p>
    );
  return (
    <p className="notice notice-warning" role="status">
      {invite.emailError === 'email_not_configured'
        ? `Email is not set up on this Lumio instance, so nothing was sent to ${invite.email}: copy the link and send it yourself.`
        : `The email to ${invite.email} could not be sent (the SMTP server did not accept it); the invite is kept: copy the link and send it yourself.`}
    </p>
  );
}

/** Invites by email or link: create one with a role (the link shown once), list the pending ones, revoke. */
export function InvitesSection({ workspace }: { workspace: WorkspaceView }) {
  const client = useQueryClient();
  const key = ['invites', workspace.id];
  const invites = useQuery({ queryKey: key, queryFn: () => api<InvitesAnswer>(`/workspaces/${workspace.id}/invites`) });
  const emailEnabled = useEmailStatus().data?.emailEnabled;
  const [role, setRole] = useState<Role>('member');
  const [email, setEmail] = useState('');
  const [created, setCreated] = useState<CreatedInvite | null>(null);
  const [revoking, setRevoking] = useState<InviteView | null>(null);
  const [tried, setTried] = useState(false);
  const body: InviteBody = { role, email: email.trim() };
  const issue = tried ? formIssue(inviteBody, body) : null;
  const create = useMutation({
    mutationFn: () => api<CreatedInvite>(`/workspaces/${workspace.id}/invites`, { method: 'POST', body }),
    onSuccess: async (invite) => {
      setCreated(invite);
      setEmail('');
      setTried(false);
      await client.invalidateQueries({ queryKey: key });
    },
  });
  const link: OneTimeLink | null = created && { url: created.url, expiresAt: created.expiresAt };
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
      {emailEnabled === false && (
        <p className="notice notice-warning" role="status">
          Email is not set up on this Lumio instance: an invite is a link you copy and send yourself (an address you type is kept with the
          invite, and the new account must use it).
        </p>
      )}
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
        <TextField
          label="Email (optional)"
          type="email"
          autoComplete="off"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={issueFor(issue, 'email')}
        />
        <Button type="submit" variant="primary" busy={create.isPending}>
          {email.trim() && emailEnabled ? 'Send invite' : 'Create invite link'}
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
              { header: 'Email', cell: (invite) => invite.email ?? <span className="muted">Link only</span> },
              { header: 'Role', cell: (invite) => ROLE_LABELS[invite.role] },
              { header: 'Created', cell: (invite) => formatTime(invite.createdAt) },
              { header: 'Expires', cell: (invite) => formatTime(invite.expiresAt) },
              actionColumn<InviteView>({
                label: 'Revoke',
                name: (invite) =>
                  `Revoke the ${invite.role} invite ${invite.email ? `for ${invite.email}` : `created ${formatTime(invite.createdAt)}`}`,
                onClick: setRevoking,
              }),
            ]}
          />
        )}
      </QueryState>
      <OneTimeLinkDialog
        title="Invite link"
        link={link}
        onClose={() => setCreated(null)}
        notice={created && <EmailOutcome invite={created} />}
      />
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
