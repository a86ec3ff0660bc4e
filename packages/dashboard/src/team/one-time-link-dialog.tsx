import type { OneTimeLink } from '@lumio/protocol';
import { Dialog } from '../ui/dialog.js';
import { formatTime } from '../ui/format.js';
import { ShownOnce } from '../ui/shown-once.js';

/** Shows an invite or password-reset link once, with copy and its expiry; it cannot be shown again. */
export function OneTimeLinkDialog({ title, link, onClose }: { title: string; link: OneTimeLink | null; onClose: () => void }) {
  return (
    <Dialog open={link !== null} onOpenChange={(open) => !open && onClose()} title={title}>
      {link && (
        <ShownOnce
          warning={`Copy this link now and send it privately: it is shown only once. It works once and expires ${formatTime(link.expiresAt)}.`}
          code={link.url}
          label={title}
          copyLabel="Copy link"
          doneLabel="Done"
        />
      )}
    </Dialog>
  );
}
