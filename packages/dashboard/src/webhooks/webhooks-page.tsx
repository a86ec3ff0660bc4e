import type { WebhookEndpointWithSecret } from '@lumio/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../api/api-client.js';
import { ManagersOnly } from '../team/managers-only.js';
import { Button } from '../ui/button.js';
import { DataTable } from '../ui/data-table.js';
import { Dialog, DialogFormActions } from '../ui/dialog.js';
import { ErrorMessage } from '../ui/error-message.js';
import { formatTime } from '../ui/format.js';
import { PageHeader } from '../ui/page-header.js';
import { QueryState } from '../ui/query-state.js';
import { useToast } from '../ui/use-toast.js';
import { useWorkspace } from '../workspaces/use-workspace.js';
import { endpointBody, endpointIssue, WebhookEndpointFields, type EndpointDraft } from './webhook-endpoint-fields.js';
import { EndpointStatusBadge } from './endpoint-status-badge.js';
import { eventsSummary } from './webhook-event-labels.js';
import { webhookPath, webhookQueries, webhooksKey } from './webhook-queries.js';
import { WebhookSecretDialog } from './webhook-secret-dialog.js';
import './webhooks.css';

const EMPTY: EndpointDraft = { url: '', description: '', events: [] };

/** The workspace's webhook endpoints (owners and admins): list, and add one (its secret shown once). */
export function WebhooksPage() {
  return (
    <ManagersOnly title="Webhooks">
      <Webhooks />
    </ManagersOnly>
  );
}

function Webhooks() {
  const workspace = useWorkspace();
  const endpoints = useQuery(webhookQueries.list(workspace.id));
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Lumio tells your servers when something happens — a user is created, verified or erased, an announcement is clicked — with a signed POST request to each endpoint that wants the event."
        actions={<AddEndpointDialog workspaceId={workspace.id} />}
      />
      <QueryState query={endpoints} loading="Loading webhook endpoints…">
        {(list) => (
          <DataTable
            rows={list}
            rowKey={(e) => e.id}
            caption={`Webhook endpoints of ${workspace.name}`}
            empty={
              <div className="card">
                <p>No webhook endpoints yet.</p>
                <p className="muted">Add one to receive events on your server; each delivery is signed with the endpoint’s secret.</p>
              </div>
            }
            columns={[
              {
                header: 'Endpoint',
                rowHeader: true,
                cell: (e) => (
                  <>
                    <Link to={e.id} className="webhook-url">
                      {e.url}
                    </Link>
                    {e.description && <div className="muted small">{e.description}</div>}
                  </>
                ),
              },
              { header: 'Events', cell: (e) => eventsSummary(e.events) },
              { header: 'Status', cell: (e) => <EndpointStatusBadge endpoint={e} /> },
              { header: 'Added', cell: (e) => formatTime(e.createdAt) },
            ]}
          />
        )}
      </QueryState>
    </>
  );
}

function AddEndpointDialog({ workspaceId }: { workspaceId: string }) {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<EndpointDraft>(EMPTY);
  const [tried, setTried] = useState(false);
  const client = useQueryClient();
  const toast = useToast();
  const issue = tried ? endpointIssue(draft) : null;
  const create = useMutation({
    mutationFn: () => api<WebhookEndpointWithSecret>(webhookPath(workspaceId), { method: 'POST', body: endpointBody(draft) }),
    onSuccess: async () => {
      setOpen(false);
      setDraft(EMPTY);
      setTried(false);
      await client.invalidateQueries({ queryKey: webhooksKey(workspaceId) });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!endpointIssue(draft)) create.mutate();
  };
  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)}>
        Add endpoint
      </Button>
      <Dialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) {
            create.reset();
            setTried(false);
          }
        }}
        title="Add webhook endpoint"
      >
        <form className="stack" onSubmit={submit} noValidate>
          <WebhookEndpointFields draft={draft} onChange={setDraft} issue={issue} autoFocus />
          <ErrorMessage error={create.error} />
          <DialogFormActions submitLabel="Add endpoint" busy={create.isPending} />
        </form>
      </Dialog>
      <WebhookSecretDialog
        secret={create.data?.secret ?? null}
        title="Your endpoint’s signing secret"
        intro={create.data ? `Deliveries to ${create.data.url} are signed with this secret.` : undefined}
        onDone={() => {
          create.reset();
          toast('Webhook endpoint added.');
        }}
      />
    </>
  );
}
