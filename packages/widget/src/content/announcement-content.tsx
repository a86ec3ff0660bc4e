import type { DeliveredAnnouncement as Announcement } from '@lumio/protocol/browser';

/** Props of the body shared by popups, banners and posts. */
export interface AnnouncementContentProps {
  announcement: Announcement;
  /** Id of the body element, for aria-describedby. */
  bodyId?: string;
  onCta: () => void;
}

/**
 * An announcement's sanitised HTML (the server sanitised it when it was
 * saved; the shadow root keeps its markup away from the page's styles) and
 * its call to action, which opens in a new tab.
 */
export function AnnouncementContent({ announcement, bodyId, onCta }: AnnouncementContentProps) {
  const url = announcement.cta ? safeUrl(announcement.cta.url) : null;
  return (
    <>
      <div class="html" id={bodyId} dangerouslySetInnerHTML={{ __html: announcement.html }} />
      {announcement.cta && url && (
        <a class="cta" href={url} target="_blank" rel="noopener noreferrer" onClick={onCta}>
          {announcement.cta.label}
        </a>
      )}
    </>
  );
}

/** The URL when it is http(s), else null: a `javascript:` link must never reach the page. */
export function safeUrl(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}
