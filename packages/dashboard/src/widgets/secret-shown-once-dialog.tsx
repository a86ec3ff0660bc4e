import type { SecretValue } from '@lumio/protocol';
import { Dialog } from '../ui/dialog.js';
import { ShownOnce } from '../ui/shown-once.js';

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
  return (
    <Dialog
      open={secret !== null}
      // Escape and outside clicks are ignored on purpose: closing is the explicit button below.
      onOpenChange={() => undefined}
      title={title}
      description={intro}
    >
      {secret && (
        <ShownOnce
          warningRole="note"
          warning={
            <>
              <strong>Store it now — it will not be shown again.</strong> Put it in your server's secret store or environment (for example{' '}
              <code>LUMIO_SIGNING_SECRET</code>). Never put it in browser code. Owners and admins can reveal it later with their password;
              every reveal is recorded in the audit log.
            </>
          }
          code={secret.secret}
          label="Signing secret"
          copyLabel="Copy secret"
          confirm="I have copied the secret to a safe place"
          onDone={onDone}
        >
          <p className="small">
            Key id: <code>{secret.keyId}</code>{' '}
            <span className="muted">
              (the <code>kid</code> of signed identity tokens; not secret)
            </span>
          </p>
        </ShownOnce>
      )}
    </Dialog>
  );
}
