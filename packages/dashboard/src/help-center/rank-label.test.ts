import { describe, expect, it } from 'vitest';
import { ordinal, rankLabel } from './rank-label.js';

describe('ordinal', () => {
  it('says 1st, 2nd, 3rd and th for the rest, teens included', () => {
    expect([1, 2, 3, 4, 10, 11, 12, 13, 14, 21, 22, 23, 101, 102, 111, 112, 113].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '10th',
      '11th',
      '12th',
      '13th',
      '14th',
      '21st',
      '22nd',
      '23rd',
      '101st',
      '102nd',
      '111th',
      '112th',
      '113th',
    ]);
  });
});

describe('rankLabel', () => {
  it('places the article among what the user would see, for a query or in its collection', () => {
    expect(rankLabel(3, 42, '')).toBe('3rd of 42 for this user in its collection');
    expect(rankLabel(1, 7, 'invoice')).toBe('1st of 7 for this user in the results for “invoice”');
  });

  it('says the user would not see it when it has no rank', () => {
    expect(rankLabel(null, 5, '')).toBe('Not shown to this user in its collection');
    expect(rankLabel(null, 0, 'zebra')).toBe('Not shown to this user in the results for “zebra”');
  });
});
