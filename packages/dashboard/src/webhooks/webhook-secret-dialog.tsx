import { Dialog } from '../ui/dialog.js';
import { ShownOnce } from '../ui/shown-once.js';

/**
 * Shows an endpoint's signing secret, which the API answers only once (when
 * the endpoint is added, when the secret is rotated); only "I have stored it"
 * closes the dialog, so Escape or a stray click cannot lose it.
 */
export function WebhookSecretDialog({
  secret,
  title,
  intro,
  onDone,
}: {
  secret: string | null;
  title: string;
  intro?: string;
  onDone: () => void;
}) {
  return (
    // Escape and outside clicks are ignored on purpose: closing is the explicit button.
    <Dialog open={secret !== null} onOpenChange={() => undefined} title={title} description={intro}>
      {secret && (
        <ShownOnce
          warningRole="note"
          warning={
            <>
              <strong>Store it now — it will not be shown again.</strong> Your receiver uses it to check that each delivery comes from Lumio
              (the signature header, see the webhooks guide). Keep it on your server, for example in <code>LUMIO_WEBHOOK_SECRET</code>. If
              it is lost, rotate the secret.
            </>
          }
          code={secret}
          label="Webhook signing secret"
          copyLabel="Copy secret"
          confirm="I have copied the secret to a safe place"
          onDone={onDone}
        />
      )}
    </Dialog>
  );
}
