import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import { useBlocker, type BlockerFunction } from 'react-router';
import { ConfirmDialog } from './confirm-dialog.js';
import { sameValue } from './same-value.js';

// The prompt runs no request of its own: nothing pending, nothing failed.
const IDLE = { isPending: false, error: null, reset: () => undefined };

/**
 * Guards a form's edits: while `current` differs from what was loaded or last
 * saved, leaving for another page of the app asks first (an accessible
 * dialog: Cancel stays, Leave goes), and closing or reloading the tab gets the
 * browser's own question. Call `saved(value)` with what the server now holds,
 * and `leaveFreely()` just before a navigation that must not ask (to the item
 * just created, or away from one just deleted).
 */
export function useUnsavedChanges<T>(current: T): {
  dirty: boolean;
  saved: (value: T) => void;
  leaveFreely: () => void;
  prompt: ReactElement;
} {
  const [baseline, setBaseline] = useState(current);
  const dirty = !sameValue(baseline, current);
  // Read by the blocker when a navigation starts, possibly before React renders again.
  const state = useRef({ dirty, free: false });
  state.current.dirty = dirty;

  const shouldBlock = useCallback<BlockerFunction>(
    ({ currentLocation, nextLocation }) =>
      state.current.dirty &&
      !state.current.free &&
      (currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search),
    [],
  );
  const blocker = useBlocker(shouldBlock);

  // The field last edited: Cancel gives it the focus back. Not the link or tab that asked to leave: a
  // tab takes the selection with the focus (Radix), and would ask again at once.
  const lastField = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const remember = (event: FocusEvent) => {
      const target = event.target;
      if (
        target instanceof HTMLElement &&
        target.matches('input, textarea, select, [contenteditable="true"]') &&
        !target.closest('[role="alertdialog"]')
      )
        lastField.current = target;
    };
    document.addEventListener('focusin', remember);
    return () => document.removeEventListener('focusin', remember);
  }, []);

  useEffect(() => {
    if (!dirty) return;
    const ask = (event: BeforeUnloadEvent) => {
      if (state.current.free) return;
      event.preventDefault();
      // Older Chromium asks only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [dirty]);

  const saved = useCallback((value: T) => {
    state.current.dirty = false;
    setBaseline(value);
  }, []);
  const leaveFreely = useCallback(() => {
    state.current.free = true;
  }, []);

  const prompt = (
    <ConfirmDialog
      open={blocker.state === 'blocked'}
      onClose={() => blocker.reset?.()}
      title="Leave without saving?"
      description="Your changes on this page are not saved yet. If you leave now, they are lost."
      confirmLabel="Leave"
      onConfirm={() => blocker.proceed?.()}
      mutation={IDLE}
      returnFocusTo={() => lastField.current}
    />
  );
  return { dirty, saved, leaveFreely, prompt };
}
