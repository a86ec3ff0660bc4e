import type { Ref } from 'preact';

/** Props of the launcher. */
export interface LauncherProps {
  open: boolean;
  unread: number;
  onToggle: () => void;
  buttonRef: Ref<HTMLButtonElement>;
}

/**
 * The round button that opens and closes the panel, named after what it
 * shows (news and help; Lumio has no messaging), with the count of unread posts.
 */
export function Launcher({ open, unread, onToggle, buttonRef }: LauncherProps) {
  return (
    <button
      ref={buttonRef}
      type="button"
      class="launcher"
      // One name open or closed: aria-expanded carries the state.
      aria-label="News and help"
      aria-expanded={open ? 'true' : 'false'}
      aria-controls="lumio-panel"
      aria-describedby={unread > 0 ? 'lumio-unread' : undefined}
      onClick={onToggle}
    >
      <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z" />
      </svg>
      {unread > 0 && (
        <span class="badge" id="lumio-unread">
          {unread > 99 ? '99+' : unread}
          <span class="sr"> unread</span>
        </span>
      )}
    </button>
  );
}
