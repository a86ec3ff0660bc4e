import { useRef, type FocusEvent } from 'react';

/**
 * Gives the focus back to what opened a dialog once it closes. Radix does so
 * only for its own Dialog.Trigger; the dashboard's dialogs are opened by
 * ordinary buttons (`open` is controlled), and without this the focus fell to
 * <body> and a keyboard user started again from the top of the page. Spread
 * the answer on Dialog.Content or AlertDialog.Content.
 */
export function useReturnFocus() {
  const opener = useRef<HTMLElement | null>(null);
  return {
    // The first focus inside the dialog comes from its opener (an autoFocus field takes it before Radix's onOpenAutoFocus would run).
    onFocusCapture: (event: FocusEvent<HTMLElement>) => {
      const from = event.relatedTarget;
      if (opener.current === null && from instanceof HTMLElement && !event.currentTarget.contains(from)) opener.current = from;
    },
    onCloseAutoFocus: (event: Event) => {
      const target = opener.current;
      opener.current = null;
      // An opener gone with its page (the dialog navigated): the layout moves the focus to the new page instead.
      if (target?.isConnected) {
        event.preventDefault();
        target.focus();
      }
    },
  };
}
