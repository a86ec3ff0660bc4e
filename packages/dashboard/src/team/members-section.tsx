import { ROLES, type MemberView, type OneTimeLink, type PasswordResetLink, type Role, type WorkspaceView } from '@lumio/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/api-client.js';
import { SESSION_KEY, useSession } from '../auth/use-session.js';
import { Button } from '../ui/button.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { DataTable } from '../ui/data-table.js';
import { ErrorMessage } from '../ui/error-message.js';
import { formatTime } from '../ui/format.js';
import { QueryState } from '../ui/query-state.js';
import { membersQuery } from './members-query.js';
import { OneTimeLinkDialog } from './one-time-link-dialog.js';
import { ROLE_LABELS } from './role-labels.js';

/** The workspace's members: change a role, issue a password-reset link, remove (the API's rules apply; this workspace's part is mirrored). */
export function MembersSection({ workspace }: { workspace: WorkspaceView }) {
  const client = useQueryClient();
  const me = useSession().data!.account;
  const { queryKey: key } = membersQuery(workspace.id);
  const members = useQuery(membersQuery(workspace.id));
  const [removing, setRemoving] = useState<MemberView | null>(null);
  const [resetLink, setResetLink] = useState<OneTimeLink | null>(null);
  const isOwner = workspace.role === 'owner';
  // Only an owner makes, unmakes, resets or removes an owner (the API's rule).
  const locked = (m: MemberView) => m.role === 'owner' && !isOwner;
  // A reset link needs you to outrank the member in every workspace they belong to (the API decides, with
  // `account_outside_your_authority`); this page sees only this workspace, so it mirrors that part. ROLES runs owner first.
  const canReset = (m: MemberView) => m.accountId === me.id || ROLES.indexOf(workspace.role) < ROLES.indexOf(m.role);
  const rolesFor = (m: MemberView): Role[] => (isOwner || m.role === 'owner' ? ['owner', 'admin', 'member'] : ['admin', 'member']);

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
      api<PasswordResetLink>(`/workspaces/${workspace.id}/members/${accountId}/password-reset`, { method: 'POST', body: {} }),
    onSuccess: (link) => setResetLink(link),
  });

  return (
    <section className="card" aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      <p className="muted small">
        Owners manage everything, including other owners. Admins manage the team (but not owners), API keys, signing secrets and the audit
        log. Members work on content and read analytics.
      </p>
      <p className="muted small">
        A reset link can be made only for someone you outrank in every workspace they belong to; for an owner, or anyone else, the server
        operator runs <code>npx lumio accounts reset-password</code>.
      </p>
      <ErrorMessage error={changeRole.error ?? reset.error} />
      <QueryState query={members}>
        {(list) => (
          <DataTable
            rows={list}
            rowKey={(m) => m.accountId}
            columns={[
              {
                header: 'Name',
                rowHeader: true,
                cell: (m) => (
                  <>
                    {m.name}
                    {m.accountId === me.id && <span className="muted small"> (you)</span>}
                  </>
                ),
              },
              { header: 'Email', cell: (m) => m.email },
              {
                header: 'Role',
                cell: (m) => (
                  <select
                    aria-label={`Role of ${m.name}`}
                    value={m.role}
                    disabled={locked(m) || changeRole.isPending}
                    onChange={(e) => changeRole.mutate({ accountId: m.accountId, role: e.target.value as Role })}
                  >
                    {rolesFor(m).map((r) => (
                      <option key={r} value={r}>
                        {ROLE_LABELS[r]}
                      </option>
                    ))}
                  </select>
                ),
              },
              { header: 'Joined', cell: (m) => formatTime(m.joinedAt) },
              {
                header: 'Actions',
                srOnlyHeader: true,
                cell: (m) => (
                  <div className="row">
                    <Button
                      variant="ghost"
                      disabled={!canReset(m)}
                      busy={reset.isPending && reset.variables === m.accountId}
                      onClick={() => reset.mutate(m.accountId)}
                      aria-label={`Password-reset link for ${m.name}`}
                    >
                      Reset link
                    </Button>
                    <Button variant="ghost" disabled={locked(m)} onClick={() => setRemoving(m)} aria-label={`Remove ${m.name}`}>
                      Remove
                    </Button>
                  </div>
                ),
              },
            ]}
          />
        )}
      </QueryState>
      <ConfirmDialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        title={`Remove ${removing?.name ?? ''}?`}
        description={`${removing?.email ?? ''} loses access to ${workspace.name} at once. They can be invited again later.`}
        confirmLabel="Remove member"
        mutation={remove}
        onConfirm={() => removing && remove.mutate(removing.accountId)}
      />
      <OneTimeLinkDialog title="Password-reset link" link={resetLink} onClose={() => setResetLink(null)} />
    </section>
  );
}
