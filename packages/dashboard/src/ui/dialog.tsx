import * as RadixDialog from '@radix-ui/react-dialog';
import type { ReactNode } from 'react';
import { Button } from './button.js';
import { useReturnFocus } from './use-return-focus.js';

/**
 * A modal dialog (Radix: focus trapped and returned, Escape closes, labelled
 * by its title). Controlled: the caller owns `open`.
 */
export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  const returnFocus = useReturnFocus();
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog-overlay" />
        <RadixDialog.Content className="dialog" {...returnFocus}>
          <RadixDialog.Title>{title}</RadixDialog.Title>
          {description ? (
            <RadixDialog.Description className="muted">{description}</RadixDialog.Description>
          ) : (
            <RadixDialog.Description className="sr-only">{title}</RadixDialog.Description>
          )}
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/** The row of buttons at the bottom of a dialog. */
export function DialogActions({ children }: { children: ReactNode }) {
  return <div className="dialog-actions">{children}</div>;
}

/** A button that closes the dialog it is in. */
export const DialogClose = RadixDialog.Close;

/** The foot of a dialog's form: Cancel (closes, nothing sent) and the submit button, busy while its request runs. */
export function DialogFormActions({ submitLabel, busy }: { submitLabel: ReactNode; busy: boolean }) {
  return (
    <DialogActions>
      <DialogClose asChild>
        <Button>Cancel</Button>
      </DialogClose>
      <Button type="submit" variant="primary" busy={busy}>
        {submitLabel}
      </Button>
    </DialogActions>
  );
}
