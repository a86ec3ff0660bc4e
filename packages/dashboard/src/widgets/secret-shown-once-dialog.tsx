import { useState } from 'react';
import { Button } from '../ui/button.js';
import { CodeBlock } from '../ui/code-block.js';
import { Dialog, DialogActions } from '../ui/dialog.js';
import type { SecretValue } from './widget-types.js';

/**
 * Shows a signing secret the API answers only once (new widget, rotation):
 * copy it, with a plain warning; only "I have stored it" closes the dialog,
 * so Escape or a stray click cannot lose it.
 */
export function SecretShownOnceDialog({
  secret,
  title,
  intro,
  onDone,
}: {
  secret: SecretValue | null;
  title: string;
  intro?: string;
  onDone: () => void;
}) {
  const [stored, setStored] = useState(false);
  return (
    <Dialog
      open={secret !== null}
      // Escape and outside clicks are ignored on purpose: closing is the explicit button below.
      onOpenChange={() => undefined}
      title={title}
      description={intro}
    >
      {secret && (
        <div className="stack">
          <div className="notice notice-warning" role="note">
            <strong>Store it now — it will not be shown again.</strong> Put it in your server's secret store or environment (for example{' '}
            <code>LUMIO_SIGNING_SECRET</code>). Never put it in browser code. Owners and admins can reveal it later with their password;
            every reveal is recorded in the audit log.
          </div>
          <CodeBlock code={secret.secret} label="Signing secret" copyLabel="Copy secret" />
          <p className="small">
            Key id: <code>{secret.keyId}</code>{' '}
            <span className="muted">
              (the <code>kid</code> of signed identity tokens; not secret)
            </span>
          </p>
          <label className="row small">
            <input type="checkbox" checked={stored} onChange={(e) => setStored(e.target.checked)} />I have copied the secret to a safe place
          </label>
          <DialogActions>
            <Button
              variant="primary"
              disabled={!stored}
              onClick={() => {
                setStored(false);
                onDone();
              }}
            >
              I have stored it
            </Button>
          </DialogActions>
        </div>
      )}
    </Dialog>
  );
}
