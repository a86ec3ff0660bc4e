// Announcements as the widget API answers them, for unit tests and the
// Chromium component tests' fixture page.
import type { DeliveredAnnouncement as Announcement, AnnouncementsAnswer } from '@lumio/protocol/browser';

/** One announcement with sensible defaults; pass what the test is about. */
export function announcement(fields: Partial<Announcement> & Pick<Announcement, 'id'>): Announcement {
  return {
    kind: 'post',
    title: `Title of ${fields.id}`,
    html: `<p>Body of ${fields.id}</p>`,
    cta: null,
    bannerPosition: 'top',
    bannerPlacement: 'overlay',
    frequency: 'until_dismissed',
    priority: 0,
    publishedAt: Date.UTC(2025, 10, 21, 12),
    seen: false,
    clicked: false,
    dismissed: false,
    ...fields,
  };
}

/** A full answer: a popup with a CTA and a link in its body, a banner, and two posts. */
export function sampleAnswer(overrides: Partial<AnnouncementsAnswer> = {}): AnnouncementsAnswer {
  return {
    appearance: { color: '#4f46e5', position: 'bottom-right', bannerPlacement: 'overlay' },
    announcements: [
      announcement({
        id: 'ann_popup',
        kind: 'popup',
        title: 'Dark mode is here',
        html: '<p>Switch it on in <a href="https://example.com/settings" rel="noopener" target="_blank">settings</a>.</p>',
        cta: { label: 'Try it', url: 'https://example.com/try' },
        priority: 10,
      }),
      announcement({ id: 'ann_banner', kind: 'banner', title: 'Maintenance on Sunday', html: '<p>From 02:00 to 03:00 UTC.</p>' }),
      announcement({ id: 'ann_post_new', title: 'Faster search', publishedAt: Date.UTC(2025, 10, 20) }),
      announcement({ id: 'ann_post_old', title: 'Exports to CSV', publishedAt: Date.UTC(2025, 9, 1), seen: true }),
    ],
    ...overrides,
  };
}
