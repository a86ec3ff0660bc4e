import type { CreatedWidget, SecretValue, VerificationMode, WidgetBody } from '@lumio/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/api-client.js';
import type { FormIssue } from '../api/form-issue.js';
import { Button } from '../ui/button.js';
import { Dialog, DialogFormActions } from '../ui/dialog.js';
import { ErrorMessage } from '../ui/error-message.js';
import { parseOriginsText } from './origins-text.js';
import { SecretShownOnceDialog } from './secret-shown-once-dialog.js';
import { WidgetFields } from './widget-fields.js';
import { widgetsKey } from './widget-queries.js';

/** "Create widget" (owners and admins): the form, then its signing secret shown once, then the widget's page. */
export function CreateWidgetDialog({ workspaceId }: { workspaceId: string }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [origins, setOrigins] = useState('');
  const [mode, setMode] = useState<VerificationMode>('optional');
  const [created, setCreated] = useState<{ widgetId: string; secret: SecretValue } | null>(null);
  // The API's check, loaded by the first submit; from then on the form shows what it would refuse.
  const [check, setCheck] = useState<((body: WidgetBody) => FormIssue | null) | null>(null);
  const client = useQueryClient();
  const navigate = useNavigate();
  const body: WidgetBody = { name, allowedOrigins: parseOriginsText(origins), verificationMode: mode };
  const issue = check?.(body) ?? null;
  const create = useMutation({
    mutationFn: () => api<CreatedWidget>(`/workspaces/${workspaceId}/widgets`, { body }),
    onSuccess: async (widget) => {
      setOpen(false);
      setCheck(null);
      setCreated({ widgetId: widget.id, secret: widget.signingSecret });
      setName('');
      setOrigins('');
      setMode('optional');
      await client.invalidateQueries({ queryKey: widgetsKey(workspaceId) });
    },
  });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // Loaded here, not with the widgets list: the schema brings zod, which the first page does without.
    const { widgetIssue } = await import('./widget-issue.js');
    setCheck(() => widgetIssue);
    if (!widgetIssue(body)) create.mutate();
  };
  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)}>
        Create widget
      </Button>
      <Dialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) {
            create.reset();
            setCheck(null);
          }
        }}
        title="Create widget"
        description="A widget is one install of the launcher in one app. It gets its own id and signing secret."
      >
        <form onSubmit={submit} className="stack">
          <WidgetFields
            name={name}
            onName={setName}
            origins={origins}
            onOrigins={setOrigins}
            mode={mode}
            onMode={setMode}
            issue={issue}
            originsHint="One per line, like https://app.example.com or https://*.example.com. Leave empty to allow any site (not recommended in production)."
            modeHint="Start with optional while you add signing on your server; switch to required once every identify is verified."
            autoFocus
          />
          <ErrorMessage error={create.error} />
          <DialogFormActions submitLabel="Create widget" busy={create.isPending} />
        </form>
      </Dialog>
      <SecretShownOnceDialog
        secret={created?.secret ?? null}
        title="Your widget's signing secret"
        intro="Your server signs each user id with this secret so the widget can trust who is logged in."
        onDone={() => {
          const widgetId = created?.widgetId;
          setCreated(null);
          if (widgetId) navigate(`/w/${workspaceId}/widgets/${widgetId}`);
        }}
      />
    </>
  );
}
