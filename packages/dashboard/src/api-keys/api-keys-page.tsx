import { apiKeyBody, type ApiKeyBody, type ApiKeysAnswer, type ApiKeyView, type CreatedApiKey } from '@lumio/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api/api-client.js';
import { formIssue, issueFor } from '../api/form-issue.js';
import { ManagersOnly } from '../team/managers-only.js';
import { Button } from '../ui/button.js';
import { actionColumn } from '../ui/action-column.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { DataTable } from '../ui/data-table.js';
import { Dialog, DialogFormActions } from '../ui/dialog.js';
import { ErrorMessage } from '../ui/error-message.js';
import { formatTime } from '../ui/format.js';
import { PageHeader } from '../ui/page-header.js';
import { QueryState } from '../ui/query-state.js';
import { ShownOnce } from '../ui/shown-once.js';
import { TextField } from '../ui/text-field.js';
import { useWorkspace } from '../workspaces/use-workspace.js';

/** The workspace's API keys (owners and admins): list, create (the key shown once), revoke. */
export function ApiKeysPage() {
  return (
    <ManagersOnly title="API keys">
      <ApiKeys />
    </ManagersOnly>
  );
}

function ApiKeys() {
  const workspace = useWorkspace();
  const client = useQueryClient();
  const key = ['api-keys', workspace.id];
  const keys = useQuery({ queryKey: key, queryFn: () => api<ApiKeysAnswer>(`/workspaces/${workspace.id}/api-keys`) });
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyView | null>(null);
  const [tried, setTried] = useState(false);
  const body: ApiKeyBody = { name: name.trim() || 'API key' };
  const issue = tried ? formIssue(apiKeyBody, body) : null;

  const create = useMutation({
    mutationFn: () => api<CreatedApiKey>(`/workspaces/${workspace.id}/api-keys`, { method: 'POST', body }),
    onSuccess: async (answer) => {
      setCreated(answer);
      setName('');
      setTried(false);
      await client.invalidateQueries({ queryKey: key });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api<void>(`/workspaces/${workspace.id}/api-keys/${id}`, { method: 'DELETE' }),
    onSuccess: async () => {
      setRevoking(null);
      await client.invalidateQueries({ queryKey: key });
    },
  });
  const closeCreate = (open: boolean) => {
    if (open) return;
    setCreating(false);
    setCreated(null);
    setTried(false);
    create.reset();
  };

  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys for your servers to call the Lumio API (server-to-server only: never put one in a web page or an app)."
        actions={
          <Button variant="primary" onClick={() => setCreating(true)}>
            Create API key
          </Button>
        }
      />
      <QueryState query={keys}>
        {({ apiKeys }) => (
          <DataTable
            rows={apiKeys}
            rowKey={(k) => k.id}
            empty="No API keys yet."
            columns={[
              { header: 'Name', rowHeader: true, cell: (k) => k.name },
              { header: 'Key starts with', cell: (k) => <code>{k.prefix}…</code> },
              { header: 'Created', cell: (k) => formatTime(k.createdAt) },
              { header: 'Last used', cell: (k) => formatTime(k.lastUsedAt) },
              {
                header: 'Status',
                cell: (k) =>
                  k.revokedAt === null ? (
                    <span className="badge badge-ok">Active</span>
                  ) : (
                    <span className="badge badge-danger">Revoked {formatTime(k.revokedAt)}</span>
                  ),
              },
              actionColumn<ApiKeyView>({
                label: 'Revoke',
                name: (k) => `Revoke ${k.name}`,
                onClick: setRevoking,
                when: (k) => k.revokedAt === null,
              }),
            ]}
          />
        )}
      </QueryState>

      <Dialog open={creating} onOpenChange={closeCreate} title={created ? 'Your new API key' : 'Create an API key'}>
        {created ? (
          <ShownOnce
            warningRole="alert"
            warning="Store this key now, in your server’s secret store: Lumio keeps only a hash and cannot show it again. If it is lost, create a new key and revoke this one."
            code={created.key}
            label={`API key ${created.name}`}
            copyLabel="Copy key"
          />
        ) : (
          <form
            className="stack"
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              setTried(true);
              if (!formIssue(apiKeyBody, body)) create.mutate();
            }}
          >
            <TextField
              label="Name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={issueFor(issue, 'name')}
              maxLength={120}
              hint="What uses it, e.g. “Billing sync”."
              autoFocus
            />
            <ErrorMessage error={create.error} />
            <DialogFormActions submitLabel="Create key" busy={create.isPending} />
          </form>
        )}
      </Dialog>

      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke ${revoking?.name ?? 'this key'}?`}
        description="Calls made with this key are refused from now on. This cannot be undone."
        confirmLabel="Revoke key"
        mutation={revoke}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
      />
    </>
  );
}
