import type { WebhookEndpointView } from '@lumio/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/api-client.js';
import { Button } from '../ui/button.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { useToast } from '../ui/use-toast.js';
import { webhookPath, webhooksKey } from './webhook-queries.js';

/** "Delete endpoint", confirmed first: nothing more is sent to it, and its delivery log goes with it. */
export function DeleteEndpointButton({ endpoint, workspaceId }: { endpoint: WebhookEndpointView; workspaceId: string }) {
  const [open, setOpen] = useState(false);
  const client = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const remove = useMutation({
    mutationFn: () => api<void>(webhookPath(workspaceId, endpoint.id), { method: 'DELETE' }),
    onSuccess: async () => {
      setOpen(false);
      navigate(`/w/${workspaceId}/webhooks`, { replace: true });
      toast('Webhook endpoint deleted.');
      client.removeQueries({ queryKey: [...webhooksKey(workspaceId), endpoint.id] });
      await client.invalidateQueries({ queryKey: webhooksKey(workspaceId) });
    },
  });
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Delete endpoint
      </Button>
      <ConfirmDialog
        open={open}
        onClose={() => setOpen(false)}
        title="Delete this webhook endpoint?"
        description={
          <>
            Nothing more is sent to <span className="webhook-url">{endpoint.url}</span>; deliveries still waiting are dropped and its
            delivery log is deleted. This cannot be undone — to pause it instead, disable it.
          </>
        }
        confirmLabel="Delete endpoint"
        onConfirm={() => remove.mutate()}
        mutation={remove}
      />
    </>
  );
}
