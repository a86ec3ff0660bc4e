import type { Condition } from '@lumio/targeting';
import type { PropertiesView } from '../segments/segment-views.js';
import type { BannerPlacement } from './delivered-announcement.js';

/** Where an announcement appears: a modal popup, a bar at the top or bottom of the page, or a post in the widget's feed. */
export type AnnouncementKind = 'popup' | 'banner' | 'post';
/** How often a viewer gets it: until seen once, until dismissed, or again in every browser session. */
export type AnnouncementFrequency = 'once' | 'until_dismissed' | 'every_session';
/** Which sessions may see it at all, by identity state. */
export type AnnouncementVisibility = 'everyone' | 'identified' | 'verified';
/** The status the server derives: draft, scheduled (published, before its start), live or ended. */
export type AnnouncementStatus = 'draft' | 'scheduled' | 'live' | 'ended';

/** Who an announcement is for. */
export interface AnnouncementAudience {
  /** A condition over the user's attributes; null for everyone. */
  condition: Condition | null;
  /** A saved segment the user must also match; null for none. */
  segmentId: string | null;
  visibility: AnnouncementVisibility;
  properties: PropertiesView;
}

/** An optional call-to-action button. */
export interface AnnouncementCta {
  label: string;
  url: string;
}

/** An announcement as the dashboard API shows it. */
export interface AnnouncementView {
  id: string;
  kind: AnnouncementKind;
  title: string;
  /** The Markdown as written. */
  body: string;
  /** The body rendered and sanitised when saved; what the widget shows. */
  html: string;
  cta: AnnouncementCta | null;
  bannerPosition: 'top' | 'bottom';
  /** A banner's own placement; null follows the showing widget's default (`appearance.bannerPlacement`). */
  bannerPlacement: BannerPlacement | null;
  audience: AnnouncementAudience;
  /** The audience in plain words. */
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

/** How many viewers saw, clicked and dismissed an announcement. */
export interface AnnouncementStats {
  seen: number;
  clicked: number;
  dismissed: number;
}

/** `GET …/announcements` (`?status=` to narrow). */
export interface AnnouncementViewsAnswer {
  announcements: AnnouncementView[];
}

/** `GET …/announcements/stats`: each announcement's numbers by its id, in one request. */
export interface AnnouncementStatsAnswer {
  stats: Record<string, AnnouncementStats>;
}

/** `POST …/announcements/preview`: a body rendered and sanitised as a save would. */
export interface RenderedBody {
  html: string;
}
