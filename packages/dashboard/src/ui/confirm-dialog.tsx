import * as AlertDialog from '@radix-ui/react-alert-dialog';
import type { ReactNode } from 'react';
import { ErrorMessage } from './error-message.js';
import { useReturnFocus } from './use-return-focus.js';

/**
 * Asks before something that cannot be undone (delete, erase, revoke): the
 * safe choice has the focus, the risky one says what it does.
 */
export function ConfirmDialog({
  open,
  onClose,
  title,
  description,
  confirmLabel,
  onConfirm,
  mutation,
  children,
  returnFocusTo,
}: {
  open: boolean;
  /** Cancel, Escape: the caller drops what it asked about. */
  onClose: () => void;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  /** The action: busy while pending, its error shown inside, cleared when the dialog closes (a retry starts clean). */
  mutation: { isPending: boolean; error: unknown; reset: () => void };
  children?: ReactNode;
  /** Where the focus goes when it closes, if not back to what opened it (still on the page). */
  returnFocusTo?: () => HTMLElement | null;
}) {
  const busy = mutation.isPending;
  const returnFocus = useReturnFocus();
  return (
    <AlertDialog.Root
      open={open}
      onOpenChange={(next) => {
        if (next) return;
        mutation.reset();
        onClose();
      }}
    >
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content
          className="dialog"
          {...returnFocus}
          onCloseAutoFocus={(event) => {
            const target = returnFocusTo?.();
            if (!target?.isConnected) return returnFocus.onCloseAutoFocus(event);
            event.preventDefault();
            target.focus();
          }}
        >
          <AlertDialog.Title>{title}</AlertDialog.Title>
          <AlertDialog.Description className="muted">{description}</AlertDialog.Description>
          <ErrorMessage error={mutation.error} />
          {children}
          <div className="dialog-actions">
            <AlertDialog.Cancel className="button button-secondary">Cancel</AlertDialog.Cancel>
            <button
              type="button"
              className="button button-danger"
              disabled={busy}
              aria-busy={busy || undefined}
              onClick={(event) => {
                // The caller closes it when the action is done (or shows its error inside).
                event.preventDefault();
                onConfirm();
              }}
            >
              {confirmLabel}
            </button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
