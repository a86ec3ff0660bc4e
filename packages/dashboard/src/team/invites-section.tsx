import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api/api-client.js';
import type { Role, WorkspaceView } from '../api/api-types.js';
import { Button } from '../ui/button.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { ErrorMessage } from '../ui/error-message.js';
import { formatTime } from '../ui/format.js';
import { QueryState } from '../ui/query-state.js';
import { SelectField } from '../ui/select-field.js';
import { OneTimeLinkDialog } from './one-time-link-dialog.js';
import { ROLE_LABELS, type InviteView, type OneTimeLink } from './team-types.js';

/** Invites by link: create one with a role (the link shown once), list the pending ones, revoke. */
export function InvitesSection({ workspace }: { workspace: WorkspaceView }) {
  const client = useQueryClient();
  const key = ['invites', workspace.id];
  const invites = useQuery({ queryKey: key, queryFn: () => api<{ invites: InviteView[] }>(`/workspaces/${workspace.id}/invites`) });
  const [role, setRole] = useState<Role>('member');
  const [link, setLink] = useState<OneTimeLink | null>(null);
  const [revoking, setRevoking] = useState<InviteView | null>(null);
  const create = useMutation({
    mutationFn: () => api<InviteView & OneTimeLink>(`/workspaces/${workspace.id}/invites`, { method: 'POST', body: { role } }),
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
          create.mutate();
        }}
      >
        <SelectField
          label="Role of the new member"
          value={role}
          onChange={(e) => setRole(e.target.value as Role)}
          options={roles.map((r) => [r, ROLE_LABELS[r]])}
        />
        <Button type="submit" variant="primary" busy={create.isPending}>
          Create invite link
        </Button>
      </form>
      <ErrorMessage error={create.error} />
      <h3>Pending invites</h3>
      <QueryState query={invites}>
        {({ invites: list }) =>
          list.length === 0 ? (
            <p className="muted">No pending invites.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Role</th>
                    <th scope="col">Created</th>
                    <th scope="col">Expires</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((invite) => (
                    <tr key={invite.id}>
                      <td>{ROLE_LABELS[invite.role]}</td>
                      <td>{formatTime(invite.createdAt)}</td>
                      <td>{formatTime(invite.expiresAt)}</td>
                      <td>
                        <Button
                          variant="ghost"
                          onClick={() => setRevoking(invite)}
                          aria-label={`Revoke the ${invite.role} invite created ${formatTime(invite.createdAt)}`}
                        >
                          Revoke
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryState>
      <OneTimeLinkDialog title="Invite link" link={link} onClose={() => setLink(null)} />
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => {
          if (!open) {
            setRevoking(null);
            revoke.reset();
          }
        }}
        title="Revoke this invite?"
        description="The link stops working at once; whoever has it can no longer join."
        confirmLabel="Revoke invite"
        busy={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
      >
        <ErrorMessage error={revoke.error} />
      </ConfirmDialog>
    </section>
  );
}
