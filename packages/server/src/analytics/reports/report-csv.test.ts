import { describe, expect, it } from 'vitest';
import { csvFileName, demographicsCsv, funnelCsv, seriesCsv, toCsv } from './report-csv.js';

describe('report CSV', () => {
  it('quotes as RFC 4180 says: commas, quotes and line breaks; CRLF line ends', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['line\nbreak', null],
          [1.5, true],
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",\r\n1.5,true\r\n');
  });

  it('defuses text a spreadsheet would run as a formula, and leaves numbers alone', () => {
    const csv = toCsv(['v'], [['=HYPERLINK("http://x")'], ['+1'], ['-2'], ['@SUM(A1)'], ['\tx'], [-3], ['a=b']]);
    expect(csv.split('\r\n')).toEqual(['v', `"'=HYPERLINK(""http://x"")"`, "'+1", "'-2", "'@SUM(A1)", "'\tx", '-3', 'a=b', '']);
  });

  it('writes bucket times as ISO UTC, one row per bucket and line', () => {
    const report = {
      interval: 'day' as const,
      buckets: [Date.UTC(2026, 10, 15), Date.UTC(2026, 10, 16)],
      series: [
        { key: 'pro', counts: [3, 0], uniques: [1, 0] },
        { key: '$none', counts: [1, 2], uniques: [1, 2] },
      ],
      totals: { count: 6, uniques: 3 },
    };
    expect(seriesCsv(report, 'plan')).toBe(
      'bucket,plan,count,uniques\r\n' +
        '2026-11-15T00:00:00.000Z,pro,3,1\r\n2026-11-15T00:00:00.000Z,$none,1,1\r\n' +
        '2026-11-16T00:00:00.000Z,pro,0,0\r\n2026-11-16T00:00:00.000Z,$none,2,2\r\n',
    );
    const total = { ...report, series: [{ key: null, counts: [4, 2], uniques: [2, 2] }] };
    expect(seriesCsv(total)).toBe('bucket,count,uniques\r\n2026-11-15T00:00:00.000Z,4,2\r\n2026-11-16T00:00:00.000Z,2,2\r\n');
  });

  it('leaves a rate empty when nobody was shown the announcement', () => {
    const csv = funnelCsv({
      announcements: [
        {
          announcementId: 'ann_1',
          title: '-50% today, "really"',
          shown: { count: 0, uniques: 0 },
          clicked: { count: 1, uniques: 1 },
          dismissed: { count: 0, uniques: 0 },
          clickRate: null,
          dismissRate: null,
        },
      ],
    });
    expect(csv.split('\r\n')[1]).toBe(`ann_1,"'-50% today, ""really""",0,0,1,1,0,0,,`);
  });

  it('writes demographics as dimension rows, the top interests last with their mean level', () => {
    const csv = demographicsCsv({
      activePersons: 3,
      trust: { verified: 2, identified: 1, anonymous: 0 },
      gender: [{ value: '$none', persons: 3 }],
      ageBands: [{ band: '$none', persons: 3 }],
      attributes: { plan: [{ value: 'pro', persons: 2 }] },
      interests: { threshold: 0.5, knownPersons: 3, topics: [{ topic: 'billing', persons: 2, meanLevel: 0.6125 }] },
    });
    expect(csv.split('\r\n')).toEqual([
      'dimension,value,persons,meanLevel',
      'activePersons,,3,',
      'trust,verified,2,',
      'trust,identified,1,',
      'trust,anonymous,0,',
      'gender,$none,3,',
      'age,$none,3,',
      'plan,pro,2,',
      'interestsKnownPersons,,3,',
      'interests,billing,2,0.6125',
      '',
    ]);
  });

  it('names the download after the report, its first day and its last day (to is exclusive)', () => {
    expect(csvFileName('series', Date.UTC(2026, 10, 15), Date.UTC(2026, 10, 18))).toBe('lumio-series-2026-11-15-2026-11-17.csv');
    expect(csvFileName('funnel', Date.UTC(2026, 10, 15, 3), Date.UTC(2026, 10, 15, 5))).toBe('lumio-funnel-2026-11-15-2026-11-15.csv');
  });
});
