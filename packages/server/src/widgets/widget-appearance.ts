import { DEFAULT_APPEARANCE, HEX_COLOUR, type Appearance } from '@lumio/protocol';
import { LumioError } from '../errors/lumio-error.js';

/** How the widget UI looks on the host page: its brand colour (`#rrggbb`), the corner of the launcher and the default banner placement. */
export type WidgetAppearance = Appearance;

const POSITIONS: ReadonlyArray<WidgetAppearance['position']> = ['bottom-right', 'bottom-left'];
const PLACEMENTS: ReadonlyArray<WidgetAppearance['bannerPlacement']> = ['overlay', 'push'];

/**
 * Validates an appearance patch over the current one. Only `#rrggbb` colours
 * are taken: the value ends up in the widget's CSS, so nothing else may get in.
 */
export function parseAppearance(input: unknown, current: WidgetAppearance = DEFAULT_APPEARANCE): WidgetAppearance {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new LumioError('invalid_request', 'appearance must be an object like { "color": "#4f46e5", "position": "bottom-right" }.', {
      field: 'appearance',
    });
  const { color, position, bannerPlacement, ...rest } = input as Record<string, unknown>;
  const unknownKey = Object.keys(rest)[0];
  if (unknownKey !== undefined)
    throw new LumioError('invalid_request', `appearance.${unknownKey} is not a setting; use color, position and bannerPlacement.`, {
      field: `appearance.${unknownKey}`,
    });
  const next = { ...current };
  if (color !== undefined) {
    if (typeof color !== 'string' || !HEX_COLOUR.test(color))
      throw new LumioError('invalid_request', 'appearance.color must be a colour like "#4f46e5".', { field: 'appearance.color' });
    next.color = color.toLowerCase();
  }
  if (position !== undefined) {
    if (!POSITIONS.includes(position as WidgetAppearance['position']))
      throw new LumioError('invalid_request', `appearance.position must be ${POSITIONS.map((p) => `"${p}"`).join(' or ')}.`, {
        field: 'appearance.position',
      });
    next.position = position as WidgetAppearance['position'];
  }
  if (bannerPlacement !== undefined) {
    if (!PLACEMENTS.includes(bannerPlacement as WidgetAppearance['bannerPlacement']))
      throw new LumioError('invalid_request', `appearance.bannerPlacement must be ${PLACEMENTS.map((p) => `"${p}"`).join(' or ')}.`, {
        field: 'appearance.bannerPlacement',
      });
    next.bannerPlacement = bannerPlacement as WidgetAppearance['bannerPlacement'];
  }
  return next;
}

/** The stored appearance column, defaults filled in (a widget saved before banner placements existed overlays). */
export function storedAppearance(value: WidgetAppearance | null | undefined): WidgetAppearance {
  return { ...DEFAULT_APPEARANCE, ...(value ?? {}) };
}
