import type { DeliveredAnnouncement as Announcement } from '@lumio/protocol/browser';

/** What the widget shows at one moment: at most one popup and one banner, and the feed of posts. */
export interface Chosen {
  popup: Announcement | null;
  banner: Announcement | null;
  posts: Announcement[];
}

/**
 * Picks what to show from the server's list: the best popup and the best
 * banner (priority, then the newest), and every post for the feed, leaving
 * out what was dismissed in this page or, for `every_session`, in this
 * browser session.
 */
export function chooseAnnouncements(announcements: readonly Announcement[], hidden: (announcement: Announcement) => boolean): Chosen {
  // The server sorts already; sorting again keeps the choice right if it ever does not.
  const visible = announcements.filter((a) => !hidden(a)).sort(byPriorityThenNewest);
  return {
    popup: visible.find((a) => a.kind === 'popup') ?? null,
    banner: visible.find((a) => a.kind === 'banner') ?? null,
    posts: visible.filter((a) => a.kind === 'post'),
  };
}

function byPriorityThenNewest(a: Announcement, b: Announcement): number {
  return b.priority - a.priority || b.publishedAt - a.publishedAt;
}
