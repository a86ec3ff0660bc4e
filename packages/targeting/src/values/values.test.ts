import { describe, expect, it } from 'vitest';
import { ageAt, dateValue, parseDateOperand } from './dates.js';
import { paddedVersion } from './padded-version.js';

describe('dates', () => {
  it('reads ISO dates, ISO times with a zone and epoch milliseconds; nothing else', () => {
    expect(dateValue('2026-11-22')).toBe(Date.UTC(2026, 10, 22));
    expect(dateValue('2026-11-22T10:30:00+01:00')).toBe(Date.UTC(2026, 10, 22, 9, 30));
    expect(dateValue(1_700_000_000_000)).toBe(1_700_000_000_000);
    for (const bad of ['2026-02-30', '2026-13-01', '22/11/2026', '2026-11-22T10:30:00', 'yesterday', '', null, true, ['2026-11-22'], NaN]) {
      expect(dateValue(bad), String(bad)).toBeNaN();
    }
    expect(dateValue('2028-02-29')).toBe(Date.UTC(2028, 1, 29));
  });

  it('parses operands: relative offsets in s, m, h, d, w, or fixed instants', () => {
    expect(parseDateOperand('-30d')).toEqual({ kind: 'relative', offsetMs: -30 * 86_400_000, text: '-30d' });
    expect(parseDateOperand('+2h')).toMatchObject({ kind: 'relative', offsetMs: 7_200_000 });
    expect(parseDateOperand('2026-01-31')).toEqual({ kind: 'absolute', at: Date.UTC(2026, 0, 31) });
    for (const bad of ['30d', '-30y', '-1.5d', 'soon']) expect(parseDateOperand(bad), bad).toBeNull();
  });

  it('counts age in whole years, turning over on the birthday (29 February: on 1 March)', () => {
    const at = (iso: string) => Date.parse(`${iso}T12:00:00Z`);
    expect(ageAt('2000-11-22', at('2026-11-21'))).toBe(25);
    expect(ageAt('2000-11-22', at('2026-11-22'))).toBe(26);
    expect(ageAt('2004-02-29', at('2026-02-28'))).toBe(21);
    expect(ageAt('2004-02-29', at('2026-03-01'))).toBe(22);
    expect(ageAt('2030-01-01', at('2026-11-22'))).toBeNull();
    expect(ageAt(undefined, at('2026-11-22'))).toBeNull();
  });
});

describe('paddedVersion', () => {
  it('orders versions like GrowthBook', () => {
    const ordered = ['0.9', '1.0.0-alpha', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0', '1.2.3', '1.10.0', 'v2.0.0'];
    const sorted = [...ordered].sort((a, b) => (paddedVersion(a) < paddedVersion(b) ? -1 : 1));
    expect(sorted).toEqual(ordered);
    expect(paddedVersion('v1.2.3+build.5')).toBe(paddedVersion('1.2.3'));
    expect(paddedVersion(null)).toBe(paddedVersion('0'));
  });
});
