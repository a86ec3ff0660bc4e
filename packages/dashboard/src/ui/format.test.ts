import { describe, expect, it } from 'vitest';
import { countOf, formatCount, formatDay, formatNumber, formatPercent, formatTime, plural } from './format.js';

// Intl puts narrow no-break spaces in some locales' output: compare with plain spaces.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
const EVENTS = { one: 'event', other: 'events' };
const PEOPLE = { one: 'person', other: 'people' };

describe('plural and countOf', () => {
  it('says "1 event by 1 person" and "2 events by 1 person" (English rules)', () => {
    expect(`${countOf(1, EVENTS, 'en-US')} by ${countOf(1, PEOPLE, 'en-US')}`).toBe('1 event by 1 person');
    expect(`${countOf(2, EVENTS, 'en-US')} by ${countOf(1, PEOPLE, 'en-US')}`).toBe('2 events by 1 person');
    expect(countOf(0, EVENTS, 'en-US')).toBe('0 events');
    // 1.5 is not "one" in English.
    expect(plural(1.5, EVENTS)).toBe('events');
  });

  it("picks the category by the language's own rules: Polish few/many, Arabic zero/two", () => {
    const pl = { one: 'zdarzenie', few: 'zdarzenia', many: 'zdarzeń', other: 'zdarzenia' };
    expect([1, 2, 4, 5, 12, 22, 25].map((n) => plural(n, pl, 'pl'))).toEqual([
      'zdarzenie',
      'zdarzenia',
      'zdarzenia',
      'zdarzeń',
      'zdarzeń',
      'zdarzenia',
      'zdarzeń',
    ]);
    const ar = { zero: 'zero', one: 'one', two: 'two', few: 'few', many: 'many', other: 'other' };
    expect([0, 1, 2, 3, 11, 100].map((n) => plural(n, ar, 'ar'))).toEqual(['zero', 'one', 'two', 'few', 'many', 'other']);
  });

  it('falls back to "other" for a category the words do not name', () => {
    expect(plural(3, { one: 'plik', other: 'pliki' }, 'pl')).toBe('pliki');
    expect(plural(2, { one: 'x', other: 'xs' }, 'ar')).toBe('xs');
  });

  it('writes the number in the given locale and the word in the UI language', () => {
    expect(countOf(1234567, EVENTS, 'de-DE')).toBe('1.234.567 events');
    expect(countOf(1234567, EVENTS, 'en-US')).toBe('1,234,567 events');
    expect(plain(countOf(1234567, EVENTS, 'fr-FR'))).toBe('1 234 567 events');
  });
});

describe('numbers and dates in the locale', () => {
  it('groups digits as the locale does', () => {
    expect(formatCount(1234567, 'en-US')).toBe('1,234,567');
    expect(formatCount(1234567, 'de-DE')).toBe('1.234.567');
    expect(formatCount(1234567, 'en-IN')).toBe('12,34,567');
    expect(formatNumber(0.5, 2, 'de-DE')).toBe('0,50');
    expect(formatNumber(0.5, 2, 'en-US', false)).toBe('0.5');
  });

  it('writes shares in per cent in the locale, a dash for nothing', () => {
    expect(formatPercent(1, 8, 'en-US')).toBe('12.5%');
    expect(plain(formatPercent(1, 8, 'de-DE'))).toBe('12,5 %');
    expect(formatPercent(1, 0, 'de-DE')).toBe('—');
  });

  it('writes days and times in the locale', () => {
    const day = Date.UTC(2026, 11, 2);
    expect(formatDay(day, 'en-GB')).toBe('2 Dec 2026');
    expect(formatDay(day, 'en-US')).toBe('Dec 2, 2026');
    expect(formatDay(day, 'de-DE')).toBe('02.12.2026');
    expect(formatTime(null, 'de-DE')).toBe('never');
    expect(formatTime(day, 'de-DE')).toMatch(/^\d{2}\.\d{2}\.2026, \d{2}:\d{2}$/);
  });
});
