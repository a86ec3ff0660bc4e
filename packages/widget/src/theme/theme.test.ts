import { describe, expect, it } from 'vitest';
import { contrastRatio, contrastText, themeFromAppearance } from './theme.js';

describe('contrastText', () => {
  it('puts white on dark brand colours and black on light ones, whichever contrasts more', () => {
    expect(contrastText('#4f46e5')).toBe('#ffffff');
    expect(contrastText('#000000')).toBe('#ffffff');
    expect(contrastText('#facc15')).toBe('#000000');
    expect(contrastText('#ffffff')).toBe('#000000');
    // Mid greys either side of the crossover (relative luminance ≈ 0.18).
    expect(contrastText('#757575')).toBe('#ffffff');
    expect(contrastText('#777777')).toBe('#000000');
  });

  it('always reaches at least 4.5:1 against brand colours across the range', () => {
    for (let v = 0; v < 256; v += 5) {
      const hex = `#${v.toString(16).padStart(2, '0').repeat(3)}`;
      expect(contrastRatio(hex, contrastText(hex))).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('measures the WCAG ratio', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
  });
});

describe('themeFromAppearance', () => {
  it('takes the colour and position from the appearance', () => {
    expect(themeFromAppearance({ color: '#FACC15', position: 'bottom-left' })).toEqual({
      color: '#facc15',
      onColor: '#000000',
      // Yellow is unreadable as link text on white: links fall back to dark blue.
      link: '#1d4ed8',
      position: 'bottom-left',
    });
    expect(themeFromAppearance({ color: '#0a0', position: 'bottom-right' })).toMatchObject({ color: '#00aa00', position: 'bottom-right' });
  });

  it('falls back to the default for anything else, so no CSS can be injected', () => {
    const fallback = { color: '#4f46e5', onColor: '#ffffff', link: '#4f46e5', position: 'bottom-right' };
    expect(themeFromAppearance(undefined)).toEqual(fallback);
    expect(themeFromAppearance({ color: 'red;}:host{display:none', position: 'top' as never })).toEqual(fallback);
    expect(themeFromAppearance({ color: '#12345' })).toEqual(fallback);
  });
});
