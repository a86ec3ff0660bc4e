import type { Appearance } from '../announcements/delivered-announcement.js';

/** What a widget looks like until its team chooses (and what the dashboard previews with before any widget exists). */
export const DEFAULT_APPEARANCE: Readonly<Appearance> = Object.freeze({
  color: '#4f46e5',
  position: 'bottom-right',
  bannerPlacement: 'overlay',
});

/** The brand colours a widget takes: `#rrggbb` only, since the value ends up in the widget's CSS. */
export const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;
