import { useLayoutEffect, useRef } from 'preact/hooks';
import type { DeliveredAnnouncement as Announcement } from '@lumio/protocol/browser';
import { AnnouncementContent } from '../content/announcement-content.js';
import { deepActiveElement, trapTab } from './focus-trap.js';

/** Props of the popup. */
export interface PopupProps {
  announcement: Announcement;
  onSeen: (id: string) => void;
  onCta: (id: string) => void;
  onDismiss: (id: string) => void;
}

/**
 * A modal announcement: `role="dialog"` with `aria-modal`, named by its title
 * and described by its body. It takes focus when it opens, keeps Tab inside,
 * closes on Escape or its close button (a dismissal), and gives focus back to
 * whatever had it.
 */
export function Popup({ announcement, onSeen, onCta, onDismiss }: PopupProps) {
  const dialog = useRef<HTMLDivElement>(null);
  const previous = useRef<HTMLElement | null>(null);
  const { id } = announcement;

  // Back to where the user was, unless that element has gone meanwhile; once.
  const restoreFocus = () => {
    const element = previous.current;
    previous.current = null;
    if (element?.isConnected) element.focus();
  };

  // A layout effect: focus moves in before the first paint, so no keystroke lands behind the modal.
  useLayoutEffect(() => {
    previous.current = deepActiveElement();
    dialog.current?.focus();
    onSeen(id);
    // Unmounted without a close here (logout, a newer answer): focus still goes back.
    return restoreFocus;
  }, [id]);

  // Focus goes back before the dialog leaves the page, so it never falls to <body> in between.
  const close = () => {
    restoreFocus();
    onDismiss(id);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (dialog.current) trapTab(event, dialog.current);
  };

  return (
    <div class="backdrop">
      <div
        ref={dialog}
        class="popup"
        role="dialog"
        aria-modal="true"
        aria-labelledby="lumio-popup-title"
        aria-describedby="lumio-popup-body"
        tabIndex={-1}
        data-announcement-id={id}
        onKeyDown={onKeyDown}
      >
        <h2 id="lumio-popup-title">{announcement.title}</h2>
        <AnnouncementContent
          announcement={announcement}
          bodyId="lumio-popup-body"
          onCta={() => {
            // Following it closes it as a dismissal too: what the user acted on should not come back.
            onCta(id);
            close();
          }}
        />
        <button type="button" class="close" aria-label="Close" onClick={close}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
    </div>
  );
}
