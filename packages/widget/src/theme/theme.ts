import type { Appearance, WidgetPosition } from '@lumio/protocol/browser';

/** The look the widget renders with, checked and completed from the widget's appearance. */
export interface Theme {
  /** Brand colour as `#rrggbb`. */
  color: string;
  /** Text colour on the brand colour: black or white, whichever contrasts more. */
  onColor: string;
  /** Links and focus rings on white: the brand colour where it is readable there (4.5:1), else a dark blue. */
  link: string;
  position: WidgetPosition;
}

/** The look of a widget with no appearance set (or one this widget cannot read). */
export const DEFAULT_THEME: Theme = Object.freeze({
  color: '#4f46e5',
  onColor: '#ffffff',
  link: '#4f46e5',
  position: 'bottom-right',
});

const FALLBACK_LINK = '#1d4ed8';
const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/**
 * Reads the appearance from the server defensively: a colour that is not
 * `#rgb`/`#rrggbb` or an unknown position falls back to the default, so a bad
 * value can never inject CSS into the shadow root.
 */
export function themeFromAppearance(appearance: Partial<Appearance> | null | undefined): Theme {
  const raw = typeof appearance?.color === 'string' && HEX.test(appearance.color) ? appearance.color : DEFAULT_THEME.color;
  const color = expandHex(raw);
  const position = appearance?.position === 'bottom-left' ? 'bottom-left' : 'bottom-right';
  const link = contrastRatio(color, '#ffffff') >= 4.5 ? color : FALLBACK_LINK;
  return { color, onColor: contrastText(color), link, position };
}

/**
 * The text colour (`#000000` or `#ffffff`) with the higher WCAG contrast
 * ratio on a `#rrggbb` background.
 *
 * @example
 * contrastText('#4f46e5') // '#ffffff'
 * contrastText('#facc15') // '#000000'
 */
export function contrastText(background: string): string {
  const luminance = relativeLuminance(background);
  // Contrast with white is 1.05 / (L + 0.05), with black (L + 0.05) / 0.05.
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? '#ffffff' : '#000000';
}

/** WCAG 2 contrast ratio of two `#rrggbb` colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** WCAG 2 relative luminance of a `#rrggbb` colour, 0 (black) to 1 (white). */
export function relativeLuminance(hex: string): number {
  const value = Number.parseInt(expandHex(hex).slice(1), 16);
  const channel = (shift: number) => {
    const c = ((value >> shift) & 0xff) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0);
}

/** The theme as CSS custom properties on the widget's root element. */
export function themeVariables(theme: Theme): Record<string, string> {
  return { '--lumio-brand': theme.color, '--lumio-on-brand': theme.onColor, '--lumio-link': theme.link, '--lumio-focus': theme.link };
}

function expandHex(hex: string): string {
  const lower = hex.toLowerCase();
  return lower.length === 4 ? `#${lower[1]}${lower[1]}${lower[2]}${lower[2]}${lower[3]}${lower[3]}` : lower;
}
