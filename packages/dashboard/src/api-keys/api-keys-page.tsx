import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api/api-client.js';
import { ManagersOnly } from '../team/managers-only.js';
import { Button } from '../ui/button.js';
import { CodeBlock } from '../ui/code-block.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { Dialog, DialogActions, DialogClose } from '../ui/dialog.js';
import { ErrorMessage } from '../ui/error-message.js';
import { formatTime } from '../ui/format.js';
import { PageHeader } from '../ui/page-header.js';
import { QueryState } from '../ui/query-state.js';
import { TextField } from '../ui/text-field.js';
import { useWorkspace } from '../workspaces/use-workspace.js';

/** `GET …/api-keys`: a key's metadata (never the key). NOTE: keep in step with packages/server/src/api-keys/api-keys-service.ts. */
interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  createdBy: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

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
  const keys = useQuery({ queryKey: key, queryFn: () => api<{ apiKeys: ApiKeyView[] }>(`/workspaces/${workspace.id}/api-keys`) });
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<(ApiKeyView & { key: string }) | null>(null);
  const [revoking, setRevoking] = useState<ApiKeyView | null>(null);

  const create = useMutation({
    mutationFn: () =>
      api<ApiKeyView & { key: string }>(`/workspaces/${workspace.id}/api-keys`, {
        method: 'POST',
        body: { name: name.trim() || 'API key' },
      }),
    onSuccess: async (answer) => {
      setCreated(answer);
      setName('');
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
        {({ apiKeys }) =>
          apiKeys.length === 0 ? (
            <p className="muted">No API keys yet.</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Key starts with</th>
                    <th scope="col">Created</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Status</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {apiKeys.map((k) => (
                    <tr key={k.id}>
                      <th scope="row">{k.name}</th>
                      <td>
                        <code>{k.prefix}…</code>
                      </td>
                      <td>{formatTime(k.createdAt)}</td>
                      <td>{formatTime(k.lastUsedAt)}</td>
                      <td>
                        {k.revokedAt === null ? (
                          <span className="badge badge-ok">Active</span>
                        ) : (
                          <span className="badge badge-danger">Revoked {formatTime(k.revokedAt)}</span>
                        )}
                      </td>
                      <td>
                        {k.revokedAt === null && (
                          <Button variant="ghost" onClick={() => setRevoking(k)} aria-label={`Revoke ${k.name}`}>
                            Revoke
                          </Button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryState>

      <Dialog open={creating} onOpenChange={closeCreate} title={created ? 'Your new API key' : 'Create an API key'}>
        {created ? (
          <div className="stack">
            <p className="notice notice-warning" role="alert">
              Store this key now, in your server’s secret store: Lumio keeps only a hash and cannot show it again. If it is lost, create a
              new key and revoke this one.
            </p>
            <CodeBlock code={created.key} label={`API key ${created.name}`} copyLabel="Copy key" />
            <DialogActions>
              <DialogClose asChild>
                <Button variant="primary">I have stored it</Button>
              </DialogClose>
            </DialogActions>
          </div>
        ) : (
          <form
            className="stack"
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              create.mutate();
            }}
          >
            <TextField
              label="Name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={120}
              hint="What uses it, e.g. “Billing sync”."
              autoFocus
            />
            <ErrorMessage error={create.error} />
            <DialogActions>
              <DialogClose asChild>
                <Button>Cancel</Button>
              </DialogClose>
              <Button type="submit" variant="primary" busy={create.isPending}>
                Create key
              </Button>
            </DialogActions>
          </form>
        )}
      </Dialog>

      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => {
          if (!open) {
            setRevoking(null);
            revoke.reset();
          }
        }}
        title={`Revoke ${revoking?.name ?? 'this key'}?`}
        description="Calls made with this key are refused from now on. This cannot be undone."
        confirmLabel="Revoke key"
        busy={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
      >
        <ErrorMessage error={revoke.error} />
      </ConfirmDialog>
    </>
  );
}
