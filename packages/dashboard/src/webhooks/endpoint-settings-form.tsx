import type { WebhookEndpointView } from '@lumio/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api/api-client.js';
import { Button } from '../ui/button.js';
import { ErrorMessage } from '../ui/error-message.js';
import { formatTime } from '../ui/format.js';
import { SwitchField } from '../ui/switch-field.js';
import { UnsavedNote } from '../ui/unsaved-note.js';
import { useToast } from '../ui/use-toast.js';
import { useUnsavedChanges } from '../ui/use-unsaved-changes.js';
import { endpointBody, endpointIssue, WebhookEndpointFields, type EndpointDraft } from './webhook-endpoint-fields.js';
import { webhookPath, webhookQueries, webhooksKey } from './webhook-queries.js';

type Held = EndpointDraft & { enabled: boolean };

const heldOf = (e: WebhookEndpointView): Held => ({ url: e.url, description: e.description, events: e.events, enabled: e.enabled });

/** An endpoint's URL, description, events and on/off switch, saved together; leaving with edits unsaved asks first. */
export function EndpointSettingsForm({ endpoint, workspaceId }: { endpoint: WebhookEndpointView; workspaceId: string }) {
  const [draft, setDraft] = useState<Held>(() => heldOf(endpoint));
  const [tried, setTried] = useState(false);
  const client = useQueryClient();
  const toast = useToast();
  // Compared as sets: ticking a box off and on again is no change.
  const guard = useUnsavedChanges({ ...draft, events: [...draft.events].sort() });
  const issue = tried ? endpointIssue(draft) : null;
  const save = useMutation({
    mutationFn: () =>
      api<WebhookEndpointView>(webhookPath(workspaceId, endpoint.id), {
        method: 'PATCH',
        body: { ...endpointBody(draft), enabled: draft.enabled },
      }),
    onSuccess: async (next) => {
      toast(next.enabled === endpoint.enabled ? 'Endpoint saved.' : next.enabled ? 'Endpoint enabled.' : 'Endpoint disabled.');
      // The form shows what the server holds now (the URL normalised), and that is what counts as saved.
      const held = heldOf(next);
      setDraft(held);
      guard.saved({ ...held, events: [...held.events].sort() });
      setTried(false);
      client.setQueryData(webhookQueries.endpoint(workspaceId, endpoint.id).queryKey, next);
      await client.invalidateQueries({ queryKey: webhookQueries.list(workspaceId).queryKey });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!endpointIssue(draft)) save.mutate();
  };
  return (
    <section className="card">
      <h2>Settings</h2>
      <form className="stack" onSubmit={submit} noValidate>
        <WebhookEndpointFields draft={draft} onChange={(next) => setDraft({ ...draft, ...next })} issue={issue} />
        <SwitchField
          label="Enabled"
          checked={draft.enabled}
          onCheckedChange={(enabled) => setDraft({ ...draft, enabled })}
          hint="A disabled endpoint gets no new deliveries: events that happen while it is off are not sent to it later."
        />
        <ErrorMessage error={save.error} />
        <div className="row">
          <Button type="submit" variant="primary" busy={save.isPending}>
            Save endpoint
          </Button>
          <span className="small muted">
            Last changed {formatTime(endpoint.updatedAt)}
            <UnsavedNote dirty={guard.dirty} />
          </span>
        </div>
      </form>
      {guard.prompt}
    </section>
  );
}
