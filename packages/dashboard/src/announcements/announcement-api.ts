import type { AnnouncementFrequency, AnnouncementKind } from '@lumio/protocol';

/** Words for each kind. */
export const KIND_LABELS: Record<AnnouncementKind, string> = { popup: 'Popup', banner: 'Banner', post: 'Post in the feed' };

/** Words for each frequency. */
export const FREQUENCY_LABELS: Record<AnnouncementFrequency, string> = {
  once: 'Once (until seen)',
  until_dismissed: 'Until dismissed',
  every_session: 'Every browser session (until dismissed there)',
};

/** The query key of a workspace's announcements (list, one, stats). */
export function announcementsKey(workspaceId: string) {
  return ['announcements', workspaceId] as const;
}
