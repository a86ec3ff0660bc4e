import type { WebhookEndpointView, WebhookEndpointWithSecret } from '@lumio/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/api-client.js';
import { Button } from '../ui/button.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { webhookPath, webhookQueries } from './webhook-queries.js';
import { WebhookSecretDialog } from './webhook-secret-dialog.js';

/** The endpoint's signing secret: never shown again after it was made; "Rotate secret" makes a new one (shown once). */
export function RotateWebhookSecret({ endpoint, workspaceId }: { endpoint: WebhookEndpointView; workspaceId: string }) {
  const [asking, setAsking] = useState(false);
  const client = useQueryClient();
  const rotate = useMutation({
    mutationFn: () =>
      api<WebhookEndpointWithSecret>(`${webhookPath(workspaceId, endpoint.id)}/rotate-secret`, { method: 'POST', body: {} }),
    onSuccess: (answer) => {
      setAsking(false);
      const { secret: _shownOnce, ...view } = answer;
      client.setQueryData(webhookQueries.endpoint(workspaceId, endpoint.id).queryKey, view);
    },
  });
  return (
    <section className="card">
      <h2>Signing secret</h2>
      <p>
        Each delivery is signed with this endpoint’s secret, so your receiver can refuse anything that does not come from Lumio. The secret
        was shown once, when the endpoint was added; Lumio cannot show it again.
      </p>
      <div className="row">
        <Button onClick={() => setAsking(true)}>Rotate secret</Button>
      </div>
      <ConfirmDialog
        open={asking}
        onClose={() => setAsking(false)}
        title="Rotate the signing secret?"
        description="A new secret signs every delivery from now on, and the current one stops at once: put the new secret on your receiver straight away, or it will refuse the deliveries (they are retried for a day)."
        confirmLabel="Rotate secret"
        onConfirm={() => rotate.mutate()}
        mutation={rotate}
      />
      <WebhookSecretDialog
        secret={rotate.data?.secret ?? null}
        title="Your new signing secret"
        intro="Deliveries are signed with this secret from now on."
        onDone={() => rotate.reset()}
      />
    </section>
  );
}
