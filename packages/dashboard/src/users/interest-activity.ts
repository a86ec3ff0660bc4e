import type { InterestTopicView } from '@lumio/protocol';
import { countOf } from '../ui/format.js';

const ACTIVITY = [
  ['views', 'view', 'views'],
  ['saves', 'save', 'saves'],
  ['helpfulVotes', 'helpful vote', 'helpful votes'],
  ['searchClicks', 'search click', 'search clicks'],
  ['announcementClicks', 'announcement click', 'announcement clicks'],
] as const;

/** "3 views · 1 save": the non-zero counters, in a fixed order. */
export function activityText(activity: InterestTopicView['activity']): string {
  const parts = ACTIVITY.filter(([key]) => activity[key] > 0).map(([key, one, many]) => countOf(activity[key], { one, other: many }));
  return parts.length > 0 ? parts.join(' · ') : '—';
}
