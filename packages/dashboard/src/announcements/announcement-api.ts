import type { Condition } from '@lumio/targeting';

// NOTE: keep in step with packages/server/src/announcements/announcement.ts
// (AnnouncementView) and announcement-input.ts (what a save accepts).

/** Where an announcement appears. */
export type AnnouncementKind = 'popup' | 'banner' | 'post';
/** How often a viewer gets it. */
export type AnnouncementFrequency = 'once' | 'until_dismissed' | 'every_session';
/** Which sessions may see it at all. */
export type AnnouncementVisibility = 'everyone' | 'identified' | 'verified';
/** The status the server derives: draft, scheduled (published, before its start), live, ended. */
export type AnnouncementStatus = 'draft' | 'scheduled' | 'live' | 'ended';

/** Who an announcement is for. */
export interface AnnouncementAudience {
  condition: Condition | null;
  segmentId: string | null;
  visibility: AnnouncementVisibility;
  properties: 'all' | 'trusted';
}

/** An announcement as the dashboard API shows it. */
export interface AnnouncementView {
  id: string;
  kind: AnnouncementKind;
  title: string;
  body: string;
  /** The body rendered and sanitised by the server when saved. */
  html: string;
  cta: { label: string; url: string } | null;
  bannerPosition: 'top' | 'bottom';
  audience: AnnouncementAudience;
  audienceSummary: string;
  startsAt: number | null;
  endsAt: number | null;
  frequency: AnnouncementFrequency;
  priority: number;
  status: AnnouncementStatus;
  publishedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** Seen, clicked and dismissed counts over every viewer. */
export interface AnnouncementStats {
  seen: number;
  clicked: number;
  dismissed: number;
}

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
