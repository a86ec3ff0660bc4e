import { useState, useSyncExternalStore, type ReactNode } from 'react';
import { ToastStore } from './toast-store.js';
import { ToastContext } from './use-toast.js';
import './toast.css';

/**
 * The one place toasts appear, at the app's root (they outlive the page that
 * showed them, e.g. a save that moves to the saved item's address). The list
 * is a polite live region present from the start, so each new message is read
 * out without moving the focus; pointing at it or focusing it stops the clocks.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [store] = useState(() => new ToastStore());
  const toasts = useSyncExternalStore(store.subscribe, store.list);
  return (
    <ToastContext.Provider value={store}>
      {children}
      <section
        className="toast-region"
        aria-label="Notifications"
        onMouseEnter={() => store.pause()}
        onMouseLeave={(event) => {
          if (!event.currentTarget.contains(document.activeElement)) store.resume();
        }}
        onFocus={() => store.pause()}
        onBlur={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null) && !event.currentTarget.matches(':hover')) store.resume();
        }}
      >
        <div role="status" aria-live="polite" aria-relevant="additions text" className="toast-list">
          {toasts.map((toast) => (
            <div key={toast.id} className="toast">
              <p>{toast.message}</p>
              <button
                type="button"
                className="toast-dismiss"
                aria-label={`Dismiss: ${toast.message}`}
                onClick={() => store.dismiss(toast.id)}
              >
                <span aria-hidden="true">×</span>
              </button>
            </div>
          ))}
        </div>
      </section>
    </ToastContext.Provider>
  );
}
