import type { RevealedSecretsAnswer, WidgetView } from '@lumio/protocol';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api/api-client.js';
import { ApiError } from '../api/api-error.js';
import { Button } from '../ui/button.js';
import { CodeBlock } from '../ui/code-block.js';
import { Dialog, DialogActions, DialogClose, DialogFormActions } from '../ui/dialog.js';
import { ErrorMessage } from '../ui/error-message.js';
import { TextField } from '../ui/text-field.js';
import { widgetPath } from './widget-queries.js';

/**
 * "Reveal secret" (owners and admins): the server asks for the password again
 * unless the account signed in or confirmed it in the last few minutes
 * (`reauthentication_required`); the value lives only while the dialog is open.
 */
export function RevealSecretDialog({ widget, disabled }: { widget: WidgetView; disabled?: boolean }) {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [needsPassword, setNeedsPassword] = useState(false);
  const reveal = useMutation({
    mutationFn: (body: { password?: string }) =>
      api<RevealedSecretsAnswer>(`${widgetPath(widget.workspaceId, widget.id)}/secrets/reveal`, { method: 'POST', body }),
    onSuccess: () => {
      setPassword('');
      setNeedsPassword(false);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'reauthentication_required') setNeedsPassword(true);
    },
  });
  const close = () => {
    setOpen(false);
    setPassword('');
    setNeedsPassword(false);
    // Drops the revealed value from memory.
    reveal.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    reveal.mutate({ password });
  };
  const askedFirst = needsPassword && reveal.error instanceof ApiError && reveal.variables?.password === undefined;
  return (
    <>
      <Button
        disabled={disabled}
        onClick={() => {
          setOpen(true);
          reveal.mutate({});
        }}
      >
        Reveal secret
      </Button>
      <Dialog
        open={open}
        onOpenChange={(next) => (next ? setOpen(true) : close())}
        title="Reveal signing secret"
        description="Revealing is recorded in the audit log with your name."
      >
        {reveal.data ? (
          <div className="stack">
            <p className="notice notice-warning">
              Copy it straight into your server's secret store; do not paste it into chats or tickets.
            </p>
            {reveal.data.secrets.map((s) => (
              <div key={s.keyId} className="stack">
                <p className="small">
                  Key id <code>{s.keyId}</code> — {s.state === 'current' ? 'in use' : 'old secret, still verifying during its grace period'}
                </p>
                <CodeBlock code={s.secret} label={`Signing secret ${s.keyId}`} copyLabel="Copy secret" />
              </div>
            ))}
            <DialogActions>
              <DialogClose asChild>
                <Button variant="primary">Done</Button>
              </DialogClose>
            </DialogActions>
          </div>
        ) : needsPassword ? (
          <form className="stack" onSubmit={submit}>
            <p>Confirm your password to reveal the secret.</p>
            <TextField
              label="Your password"
              type="password"
              autoComplete="current-password"
              required
              autoFocus
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            {!askedFirst && <ErrorMessage error={reveal.error} />}
            <DialogFormActions submitLabel="Confirm and reveal" busy={reveal.isPending} />
          </form>
        ) : reveal.isError ? (
          <div className="stack">
            <ErrorMessage error={reveal.error} />
            <DialogActions>
              <DialogClose asChild>
                <Button>Close</Button>
              </DialogClose>
            </DialogActions>
          </div>
        ) : (
          <p role="status" className="muted">
            Revealing…
          </p>
        )}
      </Dialog>
    </>
  );
}
