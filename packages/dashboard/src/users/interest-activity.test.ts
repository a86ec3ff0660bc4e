import { describe, expect, it } from 'vitest';
import { activityText } from './interest-activity.js';

describe('activityText', () => {
  it('names the non-zero counters in a fixed order, singular or plural', () => {
    expect(activityText({ views: 3, saves: 1, helpfulVotes: 0, searchClicks: 2, announcementClicks: 1 })).toBe(
      '3 views · 1 save · 2 search clicks · 1 announcement click',
    );
    expect(activityText({ views: 0, saves: 0, helpfulVotes: 1, searchClicks: 0, announcementClicks: 0 })).toBe('1 helpful vote');
    expect(activityText({ views: 0, saves: 0, helpfulVotes: 0, searchClicks: 0, announcementClicks: 0 })).toBe('—');
  });
});
