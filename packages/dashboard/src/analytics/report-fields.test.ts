import { describe, expect, it } from 'vitest';
import { intervalOf, REPORT_FIELDS, REPORTS } from './report-fields.js';

describe('report fields: the Interval field', () => {
  it('is offered with options on the reports drawn over time, and not at all (never empty) on the others', () => {
    const offered = Object.fromEntries(REPORTS.map(([name]) => [name, REPORT_FIELDS[name].intervals]));
    expect(offered).toEqual({
      events: ['hour', 'day', 'week'],
      announcements: null,
      help: null,
      audience: null,
      identity: ['hour', 'day'],
    });
    for (const [name] of REPORTS) expect(REPORT_FIELDS[name].intervals?.length ?? null, name).not.toBe(0);
  });

  it('counts by the interval asked for when offered, else by day', () => {
    expect(intervalOf(REPORT_FIELDS.events, 'week')).toBe('week');
    expect(intervalOf(REPORT_FIELDS.identity, 'hour')).toBe('hour');
    expect(intervalOf(REPORT_FIELDS.identity, 'week')).toBe('day');
    // A leftover interval=hour from the Events tab does not move a funnel's range to hours.
    for (const name of ['announcements', 'help', 'audience'] as const) expect(intervalOf(REPORT_FIELDS[name], 'hour')).toBe('day');
  });
});
