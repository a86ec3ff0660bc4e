// The dashboard's one palette: what a colour means is decided here, once.
// NOTE: styles/app.css repeats MEANING_COLORS and BADGE_TONES as CSS custom
// properties (--ok, --warn, --danger, --neutral and the badge tones) for the
// badges and notices; palette.test.ts fails when the two differ.

/** The colour of each meaning, for lines, bars, swatches and badge borders: each keeps 3:1 against the page and the cards (WCAG 1.4.11). */
export const MEANING_COLORS = {
  /** Verified, trusted, live, published. */
  ok: '#1a7f37',
  /** Amber: unsigned (identified but not verified), unverified values, scheduled, a grace period. */
  warn: '#b07800',
  /** Failed, refused, revoked, ended. */
  danger: '#b42318',
  /** No trust either way: anonymous, draft, retired. */
  neutral: '#57606a',
} as const;

/** A meaning of {@link MEANING_COLORS}. */
export type Meaning = keyof typeof MEANING_COLORS;

/** A badge's (and notice's) text on its background, a tint of its meaning: text keeps 4.5:1 (WCAG 1.4.3). */
export const BADGE_TONES: Record<Exclude<Meaning, 'neutral'>, { text: string; background: string }> = {
  ok: { text: '#0f5323', background: '#dafbe1' },
  warn: { text: '#4d2d00', background: '#fff8c5' },
  danger: { text: '#82071e', background: '#ffebe9' },
};

/** Identify outcomes: verified green, unsigned amber, failed red, wherever they are drawn. */
export const IDENTITY_OUTCOME_COLORS = {
  verified: MEANING_COLORS.ok,
  unsigned: MEANING_COLORS.warn,
  failed: MEANING_COLORS.danger,
} as const;

/** Trust levels of people and events (as reports name them). */
export const TRUST_COLORS: Readonly<Record<string, string>> = {
  verified: MEANING_COLORS.ok,
  identified: MEANING_COLORS.warn,
  anonymous: MEANING_COLORS.neutral,
};

/**
 * Colours for series that mean nothing but "another line": distinct in hue
 * and lightness, and none of them green, amber or red, which mean something
 * (a breakdown's third value must not look verified). Lines differ by dash
 * and symbol as well (chart-series-style.ts).
 */
export const SERIES_COLORS = ['#3b4fd8', '#7c3aed', '#0e7490', '#be185d', '#1e3a5f', '#86198f', '#6e7781'] as const;

/** A colour for a line or bar: its meaning's when the value has one (a trust level), else the series colour of its place. */
export function seriesColor(index: number, value?: string | null): string {
  return (value != null && TRUST_COLORS[value]) || SERIES_COLORS[index % SERIES_COLORS.length]!;
}
