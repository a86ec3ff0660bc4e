import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/api-client.js';
import { Button } from '../ui/button.js';
import { Dialog, DialogActions, DialogClose } from '../ui/dialog.js';
import { ErrorMessage } from '../ui/error-message.js';
import { SelectField } from '../ui/select-field.js';
import { TextField } from '../ui/text-field.js';
import { TextareaField } from '../ui/textarea-field.js';
import { parseOriginsText } from './origins-text.js';
import { SecretShownOnceDialog } from './secret-shown-once-dialog.js';
import { VERIFICATION_MODE_OPTIONS } from './verification-modes.js';
import { widgetsKey } from './widget-queries.js';
import type { CreatedWidget, SecretValue, VerificationMode } from './widget-types.js';

/** "Create widget" (owners and admins): the form, then its signing secret shown once, then the widget's page. */
export function CreateWidgetDialog({ workspaceId }: { workspaceId: string }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [origins, setOrigins] = useState('');
  const [mode, setMode] = useState<VerificationMode>('optional');
  const [created, setCreated] = useState<{ widgetId: string; secret: SecretValue } | null>(null);
  const client = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    mutationFn: () =>
      api<CreatedWidget>(`/workspaces/${workspaceId}/widgets`, {
        body: { name, allowedOrigins: parseOriginsText(origins), verificationMode: mode },
      }),
    onSuccess: async (widget) => {
      setOpen(false);
      setCreated({ widgetId: widget.id, secret: widget.signingSecret });
      setName('');
      setOrigins('');
      setMode('optional');
      await client.invalidateQueries({ queryKey: widgetsKey(workspaceId) });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
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
          if (!next) create.reset();
        }}
        title="Create widget"
        description="A widget is one install of the launcher in one app. It gets its own id and signing secret."
      >
        <form onSubmit={submit} className="stack">
          <TextField label="Name" required maxLength={120} value={name} onChange={(e) => setName(e.target.value)} autoFocus />
          <TextareaField
            label="Allowed origins"
            hint="One per line, like https://app.example.com or https://*.example.com. Leave empty to allow any site (not recommended in production)."
            value={origins}
            onChange={(e) => setOrigins(e.target.value)}
            rows={4}
            spellCheck={false}
          />
          <SelectField
            label="Verification mode"
            hint="Start with optional while you add signing on your server; switch to required once every identify is verified."
            options={VERIFICATION_MODE_OPTIONS}
            value={mode}
            onChange={(e) => setMode(e.target.value as VerificationMode)}
          />
          <ErrorMessage error={create.error} />
          <DialogActions>
            <DialogClose asChild>
              <Button>Cancel</Button>
            </DialogClose>
            <Button type="submit" variant="primary" busy={create.isPending}>
              Create widget
            </Button>
          </DialogActions>
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
