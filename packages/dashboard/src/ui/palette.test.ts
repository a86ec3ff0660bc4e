import fs from 'node:fs';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { IdentityHealthReport } from '@lumio/protocol';
import { lineSeriesStyle } from '../analytics/chart-series-style.js';
import { identityChartOption } from '../analytics/identity-chart-option.js';
import { IdentityRateChart } from '../widgets/identity-rate-chart.js';
import { BADGE_TONES, IDENTITY_OUTCOME_COLORS, MEANING_COLORS, SERIES_COLORS, seriesColor, TRUST_COLORS } from './palette.js';

const appCss = fs.readFileSync(new URL('../styles/app.css', import.meta.url), 'utf8');
const PAGE = '#f6f7f9';
const CARD = '#ffffff';

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** A CSS custom property's value in app.css's :root, with the custom properties it names resolved. */
function cssVar(name: string): string | undefined {
  const value = new RegExp(`--${name}:\\s*([^;]+);`).exec(appCss)?.[1]?.trim();
  return value === undefined ? undefined : resolve(value);
}

function resolve(value: string): string {
  return value.replace(/var\(--([a-z-]+)\)/g, (whole, name: string) => cssVar(name) ?? whole);
}

/** The declarations of a rule (by its last selector) in app.css. */
function cssRule(selector: string): Record<string, string> {
  const body = new RegExp(`${selector.replace('.', '\\.')}\\s*\\{([^}]*)\\}`).exec(appCss)?.[1] ?? '';
  return Object.fromEntries(
    body
      .split(';')
      .map((d) => d.split(':').map((part) => part.trim()))
      .filter((d) => d.length === 2)
      .map(([k, v]) => [k!, resolve(v!)]),
  );
}

const REPORT: IdentityHealthReport = {
  interval: 'day',
  buckets: [0, 86_400_000],
  verified: [3, 3],
  identified: [1, 1],
  failed: [2, 2],
  verifiedRate: [0.5, 0.5],
  failures: [],
};

describe('one colour per meaning', () => {
  it('gives verified green, unsigned amber and failed red, each its own colour', () => {
    expect(IDENTITY_OUTCOME_COLORS).toEqual({ verified: MEANING_COLORS.ok, unsigned: MEANING_COLORS.warn, failed: MEANING_COLORS.danger });
    expect(TRUST_COLORS).toMatchObject({ verified: MEANING_COLORS.ok, identified: MEANING_COLORS.warn });
    expect(new Set(Object.values(MEANING_COLORS)).size).toBe(Object.keys(MEANING_COLORS).length);
    // A meaning's hue: green's green channel leads, red's red, amber's red and green over blue.
    const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const [gr, gg, gb] = rgb(MEANING_COLORS.ok);
    expect(gg! > gr! && gg! > gb!).toBe(true);
    const [rr, rg, rb] = rgb(MEANING_COLORS.danger);
    expect(rr! > 2 * rg! && rr! > 2 * rb!).toBe(true);
    const [ar, ag, ab] = rgb(MEANING_COLORS.warn);
    expect(ar! > ag! && ag! > 2 * ab!).toBe(true);
  });

  it('keeps the meaning colours out of the plain series colours', () => {
    for (const color of Object.values(MEANING_COLORS).slice(0, 3)) expect(SERIES_COLORS).not.toContain(color);
    expect(seriesColor(0, 'verified')).toBe(MEANING_COLORS.ok);
    expect(seriesColor(1, 'identified')).toBe(MEANING_COLORS.warn);
    expect(seriesColor(2, 'pro')).toBe(SERIES_COLORS[2]);
    expect(seriesColor(SERIES_COLORS.length)).toBe(SERIES_COLORS[0]);
  });

  it("draws the Analytics identity chart's series in their meaning's colour", () => {
    const series = identityChartOption(REPORT, ['a', 'b']).series as Array<{ name: string; itemStyle: { color: string } }>;
    const colorOf = Object.fromEntries(series.map((s) => [s.name, s.itemStyle.color]));
    expect(colorOf['Verified']).toBe(MEANING_COLORS.ok);
    expect(colorOf['Identified (unsigned)']).toBe(MEANING_COLORS.warn);
    expect(colorOf['Failed']).toBe(MEANING_COLORS.danger);
    expect(Object.values(MEANING_COLORS)).not.toContain(colorOf['Verified rate']);
  });

  it("draws the widget page's identity chart and its legend in the same colours", () => {
    const html = renderToStaticMarkup(
      createElement(IdentityRateChart, {
        buckets: [{ start: 0, verified: 2, identified: 1, failed: 1 }],
        label: 'Verified rate',
        formatStart: String,
      }),
    );
    expect(html).toContain(`fill="${MEANING_COLORS.ok}" data-outcome="verified"`);
    expect(html).toContain(`fill="${MEANING_COLORS.warn}" data-outcome="unsigned"`);
    // Failed is hatched: its pattern is filled red.
    expect(html).toMatch(new RegExp(`<pattern id="identity-failed-hatch"[^>]*><rect[^>]*fill="${MEANING_COLORS.danger}"`));
    expect(html).toContain(`background:${MEANING_COLORS.ok}`);
    expect(html).toContain(`background:${MEANING_COLORS.warn}`);
    expect(html).toContain(`${MEANING_COLORS.danger} 0 3px`);
  });

  it('styles the badges and notices (app.css) from the same palette', () => {
    expect(cssVar('ok')).toBe(MEANING_COLORS.ok);
    expect(cssVar('warn')).toBe(MEANING_COLORS.warn);
    expect(cssVar('danger')).toBe(MEANING_COLORS.danger);
    expect(cssVar('neutral')).toBe(MEANING_COLORS.neutral);
    for (const [tone, meaning] of [
      ['ok', 'ok'],
      ['warn', 'warn'],
      ['danger', 'danger'],
    ] as const) {
      const rule = cssRule(`.badge-${tone}`);
      expect({ text: rule['color'], background: rule['background'], border: rule['border-color'] }, tone).toEqual({
        ...BADGE_TONES[meaning],
        border: MEANING_COLORS[meaning],
      });
    }
  });
});

describe('contrast', () => {
  it('keeps every meaning and series colour at 3:1 against the page and the cards (graphics)', () => {
    for (const color of [...Object.values(MEANING_COLORS), ...SERIES_COLORS]) {
      expect(contrast(color, PAGE), color).toBeGreaterThanOrEqual(3);
      expect(contrast(color, CARD), color).toBeGreaterThanOrEqual(3);
    }
  });

  it("keeps badge text at 4.5:1 on its badge's background", () => {
    for (const [tone, { text, background }] of Object.entries(BADGE_TONES))
      expect(contrast(text, background), tone).toBeGreaterThanOrEqual(4.5);
  });
});

describe('equal series', () => {
  it('draws each line with its own dash, symbol and width, so equal lines stay apart', () => {
    const styles = Array.from({ length: 7 }, (_, i) => lineSeriesStyle(i));
    expect(new Set(styles.map((s) => JSON.stringify(s.lineStyle.type))).size).toBe(7);
    expect(new Set(styles.map((s) => s.symbol)).size).toBe(7);
    expect(new Set(styles.map((s) => s.color)).size).toBe(7);
    // Earlier lines are wider and drawn under later ones: a covered line shows at its edges.
    for (let i = 1; i < 3; i++) {
      expect(styles[i]!.lineStyle.width).toBeLessThan(styles[i - 1]!.lineStyle.width);
      expect(styles[i]!.z).toBeGreaterThan(styles[i - 1]!.z);
    }
    expect(lineSeriesStyle(0, 'verified').color).toBe(MEANING_COLORS.ok);
  });
});
