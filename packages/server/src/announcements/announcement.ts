import type { AnnouncementAudience, AnnouncementCta, AnnouncementStatus, BannerPlacement } from '@lumio/protocol';
import type { Database } from '../db/schema.js';
import { parseJson } from '../db/schema.js';

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

/** Reads the banner-placement column: the announcement's own choice, or null for the widget's default (any other stored value counts as null). */
export function placementOf(row: Pick<Database['announcements'], 'banner_placement'>): BannerPlacement | null {
  return row.banner_placement === 'overlay' || row.banner_placement === 'push' ? row.banner_placement : null;
}
