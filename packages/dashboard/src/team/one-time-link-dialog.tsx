import { Button } from '../ui/button.js';
import { CodeBlock } from '../ui/code-block.js';
import { Dialog, DialogActions, DialogClose } from '../ui/dialog.js';
import { formatTime } from '../ui/format.js';
import type { OneTimeLink } from './team-types.js';

/** Shows an invite or password-reset link once, with copy and its expiry; it cannot be shown again. */
export function OneTimeLinkDialog({ title, link, onClose }: { title: string; link: OneTimeLink | null; onClose: () => void }) {
  return (
    <Dialog open={link !== null} onOpenChange={(open) => !open && onClose()} title={title}>
      {link && (
        <div className="stack">
          <p className="notice notice-warning">
            Copy this link now and send it privately: it is shown only once. It works once and expires {formatTime(link.expiresAt)}.
          </p>
          <CodeBlock code={link.url} label={title} copyLabel="Copy link" />
        </div>
      )}
      <DialogActions>
        <DialogClose asChild>
          <Button variant="primary">Done</Button>
        </DialogClose>
      </DialogActions>
    </Dialog>
  );
}
