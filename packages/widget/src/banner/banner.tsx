import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { DeliveredAnnouncement as Announcement } from '@lumio/protocol/browser';
import { AnnouncementContent } from '../content/announcement-content.js';
import { pushPage } from './page-push.js';

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
 * with a close button that dismisses it. It overlays the page, or with
 * `bannerPlacement: 'push'` makes room for itself (see pushPage) for as long
 * as it is shown.
 */
export function Banner({ announcement, onSeen, onCta, onDismiss, onHeight }: BannerProps) {
  const { id } = announcement;
  const edge = announcement.bannerPosition === 'bottom' ? 'bottom' : 'top';
  const push = announcement.bannerPlacement === 'push';
  const section = useRef<HTMLElement>(null);
  useEffect(() => onSeen(id), [id]);
  // A layout effect: the page moves in the same frame the banner appears, so it never covers the page's header.
  useLayoutEffect(() => {
    const element = section.current;
    if (!element) return;
    const room = push ? pushPage(element.ownerDocument, edge) : null;
    const measure = () => {
      const height = element.offsetHeight;
      onHeight(height);
      room?.resize(height);
    };
    measure();
    // Its text wraps on narrow screens and when the page is zoomed.
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    observer?.observe(element);
    return () => {
      observer?.disconnect();
      room?.release();
      onHeight(0);
    };
  }, [edge, push]);
  return (
    <section ref={section} class={`banner ${edge}`} role="region" aria-labelledby="lumio-banner-title" data-announcement-id={id}>
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
