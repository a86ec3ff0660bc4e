import { describe, expect, it } from 'vitest';
import { announcement } from '../test-support/fixtures.js';
import { chooseAnnouncements } from './choose-announcements.js';

const none = () => false;

describe('chooseAnnouncements', () => {
  it('shows the highest-priority popup and banner, the newest first on a tie, and every post', () => {
    const list = [
      announcement({ id: 'p_low', kind: 'popup', priority: 1, publishedAt: 300 }),
      announcement({ id: 'p_old', kind: 'popup', priority: 5, publishedAt: 100 }),
      announcement({ id: 'p_new', kind: 'popup', priority: 5, publishedAt: 200 }),
      announcement({ id: 'b_1', kind: 'banner', priority: 0 }),
      announcement({ id: 'b_2', kind: 'banner', priority: 3 }),
      announcement({ id: 'post_a', priority: 0, publishedAt: 100 }),
      announcement({ id: 'post_b', priority: 0, publishedAt: 200 }),
    ];
    const chosen = chooseAnnouncements(list, none);
    expect(chosen.popup?.id).toBe('p_new');
    expect(chosen.banner?.id).toBe('b_2');
    expect(chosen.posts.map((p) => p.id)).toEqual(['post_b', 'post_a']);
  });

  it('moves on to the next popup when the best one is hidden, and shows none when all are', () => {
    const list = [announcement({ id: 'first', kind: 'popup', priority: 2 }), announcement({ id: 'second', kind: 'popup', priority: 1 })];
    expect(chooseAnnouncements(list, (a) => a.id === 'first').popup?.id).toBe('second');
    expect(chooseAnnouncements(list, () => true)).toEqual({ popup: null, banner: null, posts: [] });
  });

  it('does not reorder the caller’s list', () => {
    const list = [announcement({ id: 'a', priority: 0 }), announcement({ id: 'b', priority: 9 })];
    chooseAnnouncements(list, none);
    expect(list.map((a) => a.id)).toEqual(['a', 'b']);
  });
});
