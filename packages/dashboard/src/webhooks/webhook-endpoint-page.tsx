import type { WebhookEndpointView } from '@lumio/protocol';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { ManagersOnly } from '../team/managers-only.js';
import { PageHeader } from '../ui/page-header.js';
import { QueryState } from '../ui/query-state.js';
import { useWorkspace } from '../workspaces/use-workspace.js';
import { DeleteEndpointButton } from './delete-endpoint-button.js';
import { EndpointSettingsForm } from './endpoint-settings-form.js';
import { EndpointStatusBadge } from './endpoint-status-badge.js';
import { RotateWebhookSecret } from './rotate-webhook-secret.js';
import { WebhookDeliveryLog } from './webhook-delivery-log.js';
import { webhookQueries } from './webhook-queries.js';
import './webhooks.css';

/** One webhook endpoint (owners and admins): its settings, its secret, and the log of what was sent to it. */
export function WebhookEndpointPage() {
  return (
    <ManagersOnly title="Webhooks">
      <Endpoint />
    </ManagersOnly>
  );
}

function Endpoint() {
  const workspace = useWorkspace();
  const { endpointId = '' } = useParams();
  const endpoint = useQuery(webhookQueries.endpoint(workspace.id, endpointId));
  return (
    <>
      <p className="small">
        <Link to={`/w/${workspace.id}/webhooks`}>← Webhooks</Link>
      </p>
      <QueryState query={endpoint} loading="Loading the endpoint…">
        {(e) => <EndpointSections endpoint={e} workspaceId={workspace.id} />}
      </QueryState>
    </>
  );
}

function EndpointSections({ endpoint, workspaceId }: { endpoint: WebhookEndpointView; workspaceId: string }) {
  return (
    <>
      <PageHeader
        title={endpoint.description || 'Webhook endpoint'}
        description={
          <>
            <span className="webhook-url">{endpoint.url}</span> · <EndpointStatusBadge endpoint={endpoint} />
          </>
        }
        actions={<DeleteEndpointButton endpoint={endpoint} workspaceId={workspaceId} />}
      />
      <div className="stack">
        <EndpointSettingsForm endpoint={endpoint} workspaceId={workspaceId} />
        <RotateWebhookSecret endpoint={endpoint} workspaceId={workspaceId} />
        <WebhookDeliveryLog endpoint={endpoint} workspaceId={workspaceId} />
      </div>
    </>
  );
}
