import type { Condition } from '@lumio/targeting';
import type { Database } from '../db/schema.js';
import { parseJson } from '../db/schema.js';

/** Where an announcement appears: a modal popup, a bar at the top or bottom of the page, or a post in the widget's feed. */
export type AnnouncementKind = 'popup' | 'banner' | 'post';
/** How often a viewer gets it: until seen once, until dismissed, or again in every browser session. */
export type AnnouncementFrequency = 'once' | 'until_dismissed' | 'every_session';
/** Which sessions may see it at all, by identity state. */
export type AnnouncementVisibility = 'everyone' | 'identified' | 'verified';
/** Which stored values targeting may read: every value, or only those from a trusted source (signed token, server API). */
export type AnnouncementProperties = 'all' | 'trusted';
/** What the team sets: draft, live (published; "scheduled" until its start) or ended. */
export type AnnouncementStatus = 'draft' | 'scheduled' | 'live' | 'ended';

/** Who an announcement is for. */
export interface AnnouncementAudience {
  /** A condition over the user's attributes; null for everyone. */
  condition: Condition | null;
  /** A saved segment the user must also match; null for none. */
  segmentId: string | null;
  visibility: AnnouncementVisibility;
  properties: AnnouncementProperties;
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

/** The status of a stored announcement at `now`: scheduled and live are published before and after its start; past its end it is ended. */
export function statusAt(row: Pick<Database['announcements'], 'state' | 'starts_at' | 'ends_at'>, now: number): AnnouncementStatus {
  if (row.state === 'draft') return 'draft';
  if (row.state === 'ended') return 'ended';
  if (row.ends_at !== null && now >= row.ends_at) return 'ended';
  if (row.starts_at !== null && now < row.starts_at) return 'scheduled';
  return 'live';
}

/** Reads the audience column. */
export function audienceOf(row: Pick<Database['announcements'], 'audience'>): AnnouncementAudience {
  return parseJson<AnnouncementAudience>(row.audience, { condition: null, segmentId: null, visibility: 'everyone', properties: 'all' });
}

/** Reads the call-to-action column. */
export function ctaOf(row: Pick<Database['announcements'], 'cta'>): AnnouncementCta | null {
  return parseJson<AnnouncementCta | null>(row.cta, null);
}
