import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { DeliveredAnnouncement as Announcement } from '@lumio/protocol/browser';
import { AnnouncementContent } from '../content/announcement-content.js';

/** Props of the banner. */
export interface BannerProps {
  announcement: Announcement;
  onSeen: (id: string) => void;
  onCta: (id: string) => void;
  onDismiss: (id: string) => void;
  /** The banner's height as it changes (0 once it is gone): a bottom banner lifts the launcher above it. */
  onHeight: (pixels: number) => void;
}

/**
 * A strip across the top or bottom of the page: a landmark region named by
 * the announcement's title that does not take focus (it interrupts nobody),
 * with a close button that dismisses it.
 */
export function Banner({ announcement, onSeen, onCta, onDismiss, onHeight }: BannerProps) {
  const { id } = announcement;
  const section = useRef<HTMLElement>(null);
  useEffect(() => onSeen(id), [id]);
  useLayoutEffect(() => {
    const element = section.current;
    if (!element) return;
    onHeight(element.offsetHeight);
    // Its text wraps on narrow screens and when the page is zoomed.
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => onHeight(element.offsetHeight));
    observer?.observe(element);
    return () => {
      observer?.disconnect();
      onHeight(0);
    };
  }, []);
  return (
    <section
      ref={section}
      class={`banner ${announcement.bannerPosition === 'bottom' ? 'bottom' : 'top'}`}
      role="region"
      aria-labelledby="lumio-banner-title"
      data-announcement-id={id}
    >
      <div class="banner-text">
        <strong id="lumio-banner-title">{announcement.title}</strong>
        <AnnouncementContent
          announcement={announcement}
          onCta={() => {
            // As for a popup: acted on, so closed (and dismissed) too.
            onCta(id);
            onDismiss(id);
          }}
        />
      </div>
      <button type="button" class="close" aria-label="Dismiss" onClick={() => onDismiss(id)}>
        <span aria-hidden="true">×</span>
      </button>
    </section>
  );
}
