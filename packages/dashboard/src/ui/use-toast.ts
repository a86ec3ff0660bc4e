import { createContext, useContext } from 'react';
import type { ToastStore } from './toast-store.js';

/** The app's one toast store, given by ToastProvider at the root. */
export const ToastContext = createContext<ToastStore | null>(null);

/**
 * Shows a short confirmation after something was done ("Saved as a draft."),
 * read out politely by screen readers. Errors stay beside the form instead.
 */
export function useToast(): (message: string) => void {
  const store = useContext(ToastContext);
  if (!store) throw new Error('useToast needs a ToastProvider above it');
  return (message) => {
    store.show(message);
  };
}
