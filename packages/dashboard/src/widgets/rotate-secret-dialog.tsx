import type { RotatedSecret, WidgetView } from '@lumio/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api/api-client.js';
import { Button } from '../ui/button.js';
import { Dialog, DialogFormActions } from '../ui/dialog.js';
import { ErrorMessage } from '../ui/error-message.js';
import { formatTime } from '../ui/format.js';
import { SelectField } from '../ui/select-field.js';
import { SecretShownOnceDialog } from './secret-shown-once-dialog.js';
import { widgetPath, widgetQueries } from './widget-queries.js';

const HOUR = 3600;
const GRACE_OPTIONS = [
  [String(HOUR), '1 hour'],
  [String(24 * HOUR), '1 day'],
  [String(7 * 24 * HOUR), '7 days'],
  [String(30 * 24 * HOUR), '30 days'],
  ['0', 'None — the old secret stops verifying now'],
] as const;

/** "Rotate secret" (owners and admins): a new secret, shown once; the old one keeps verifying for the chosen grace period. */
export function RotateSecretDialog({ widget }: { widget: WidgetView }) {
  const [open, setOpen] = useState(false);
  const [grace, setGrace] = useState(String(7 * 24 * HOUR));
  const client = useQueryClient();
  const rotate = useMutation({
    mutationFn: () =>
      api<RotatedSecret>(`${widgetPath(widget.workspaceId, widget.id)}/secrets/rotate`, {
        method: 'POST',
        body: { graceSeconds: Number(grace) },
      }),
    onSuccess: (rotated) => {
      setOpen(false);
      // The answer lists both keys: the new one in use and the old one in its grace period.
      client.setQueryData(widgetQueries.secrets(widget.workspaceId, widget.id).queryKey, rotated.secrets);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    rotate.mutate();
  };
  const rotated = rotate.data ?? null;
  return (
    <>
      <Button onClick={() => setOpen(true)}>Rotate secret</Button>
      <Dialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next && rotate.isError) rotate.reset();
        }}
        title="Rotate signing secret"
        description="A new secret becomes the one in use. Deploy it to your servers within the grace period: until then both secrets verify."
      >
        <form className="stack" onSubmit={submit}>
          <SelectField
            label="Grace period for the current secret"
            hint="Long enough to deploy the new secret everywhere. Choose none only if the old secret leaked (or revoke it)."
            options={GRACE_OPTIONS}
            value={grace}
            onChange={(e) => setGrace(e.target.value)}
          />
          <ErrorMessage error={rotate.error} />
          <DialogFormActions submitLabel="Rotate secret" busy={rotate.isPending} />
        </form>
      </Dialog>
      <SecretShownOnceDialog
        secret={rotated}
        title="Your new signing secret"
        intro={
          rotated
            ? rotated.previousExpireAt > Date.now()
              ? `The previous secret keeps verifying until ${formatTime(rotated.previousExpireAt)}; deploy this one before then.`
              : 'The previous secret no longer verifies; deploy this one now.'
            : undefined
        }
        onDone={() => rotate.reset()}
      />
    </>
  );
}
