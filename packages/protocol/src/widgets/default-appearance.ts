import type { Appearance } from '../announcements/delivered-announcement.js';

/** What a widget looks like until its team chooses (and what the dashboard previews with before any widget exists). */
export const DEFAULT_APPEARANCE: Readonly<Appearance> = Object.freeze({ color: '#4f46e5', position: 'bottom-right' });
