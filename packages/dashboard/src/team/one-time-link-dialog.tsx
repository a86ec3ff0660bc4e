import type { OneTimeLink } from '@lumio/protocol';
import type { ReactNode } from 'react';
import { Dialog } from '../ui/dialog.js';
import { formatTime } from '../ui/format.js';
import { ShownOnce } from '../ui/shown-once.js';

/**
 * Shows an invite or password-reset link once, with copy and its expiry; it
 * cannot be shown again. `notice` goes above it (what happened to its email).
 */
export function OneTimeLinkDialog({
  title,
  link,
  onClose,
  notice,
}: {
  title: string;
  link: OneTimeLink | null;
  onClose: () => void;
  notice?: ReactNode;
}) {
  return (
    <Dialog open={link !== null} onOpenChange={(open) => !open && onClose()} title={title}>
      {link && notice}
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
