import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/api-client.js';
import type { Role, WorkspaceView } from '../api/api-types.js';
import { SESSION_KEY, useSession } from '../auth/use-session.js';
import { Button } from '../ui/button.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { ErrorMessage } from '../ui/error-message.js';
import { formatTime } from '../ui/format.js';
import { QueryState } from '../ui/query-state.js';
import { OneTimeLinkDialog } from './one-time-link-dialog.js';
import { ROLE_LABELS, type MemberView, type OneTimeLink } from './team-types.js';

/** The workspace's members: change a role, issue a password-reset link, remove (the API's owner rules apply and are mirrored). */
export function MembersSection({ workspace }: { workspace: WorkspaceView }) {
  const client = useQueryClient();
  const me = useSession().data!.account;
  const key = ['members', workspace.id];
  const members = useQuery({ queryKey: key, queryFn: () => api<{ members: MemberView[] }>(`/workspaces/${workspace.id}/members`) });
  const [removing, setRemoving] = useState<MemberView | null>(null);
  const [resetLink, setResetLink] = useState<OneTimeLink | null>(null);
  const isOwner = workspace.role === 'owner';

  const afterChange = async (accountId: string) => {
    await client.invalidateQueries({ queryKey: key });
    // My own role or membership changed: the navigation and the pages I may open follow.
    if (accountId === me.id) await client.invalidateQueries({ queryKey: SESSION_KEY });
  };
  const changeRole = useMutation({
    mutationFn: ({ accountId, role }: { accountId: string; role: Role }) =>
      api<MemberView>(`/workspaces/${workspace.id}/members/${accountId}`, { method: 'PATCH', body: { role } }),
    onSuccess: (_, { accountId }) => afterChange(accountId),
  });
  const remove = useMutation({
    mutationFn: (accountId: string) => api<void>(`/workspaces/${workspace.id}/members/${accountId}`, { method: 'DELETE' }),
    onSuccess: async (_, accountId) => {
      setRemoving(null);
      await afterChange(accountId);
    },
  });
  const reset = useMutation({
    mutationFn: (accountId: string) =>
      api<OneTimeLink>(`/workspaces/${workspace.id}/members/${accountId}/password-reset`, { method: 'POST', body: {} }),
    onSuccess: (link) => setResetLink(link),
  });

  return (
    <section className="card" aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      <p className="muted small">
        Owners manage everything, including other owners. Admins manage the team (but not owners), API keys, signing secrets and the audit
        log. Members work on content and read analytics.
      </p>
      <ErrorMessage error={changeRole.error ?? reset.error} />
      <QueryState query={members}>
        {({ members: list }) => (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Joined</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((m) => {
                  // Only an owner makes, unmakes, resets or removes an owner (the API's rule).
                  const locked = m.role === 'owner' && !isOwner;
                  const roles: Role[] = isOwner || m.role === 'owner' ? ['owner', 'admin', 'member'] : ['admin', 'member'];
                  return (
                    <tr key={m.accountId}>
                      <th scope="row">
                        {m.name}
                        {m.accountId === me.id && <span className="muted small"> (you)</span>}
                      </th>
                      <td>{m.email}</td>
                      <td>
                        <select
                          aria-label={`Role of ${m.name}`}
                          value={m.role}
                          disabled={locked || changeRole.isPending}
                          onChange={(e) => changeRole.mutate({ accountId: m.accountId, role: e.target.value as Role })}
                        >
                          {roles.map((r) => (
                            <option key={r} value={r}>
                              {ROLE_LABELS[r]}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>{formatTime(m.joinedAt)}</td>
                      <td>
                        <div className="row">
                          <Button
                            variant="ghost"
                            disabled={locked}
                            busy={reset.isPending && reset.variables === m.accountId}
                            onClick={() => reset.mutate(m.accountId)}
                            aria-label={`Password-reset link for ${m.name}`}
                          >
                            Reset link
                          </Button>
                          <Button variant="ghost" disabled={locked} onClick={() => setRemoving(m)} aria-label={`Remove ${m.name}`}>
                            Remove
                          </Button>
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => {
          if (!open) {
            setRemoving(null);
            remove.reset();
          }
        }}
        title={`Remove ${removing?.name ?? ''}?`}
        description={`${removing?.email ?? ''} loses access to ${workspace.name} at once. They can be invited again later.`}
        confirmLabel="Remove member"
        busy={remove.isPending}
        onConfirm={() => removing && remove.mutate(removing.accountId)}
      >
        <ErrorMessage error={remove.error} />
      </ConfirmDialog>
      <OneTimeLinkDialog title="Password-reset link" link={resetLink} onClose={() => setResetLink(null)} />
    </section>
  );
}
