import type { BannerPlacement } from '@lumio/protocol';

/** The banner placements in words, for the widget's default and an announcement's own choice. */
export const BANNER_PLACEMENT_OPTIONS: ReadonlyArray<readonly [BannerPlacement, string]> = [
  ['overlay', 'Over the page (covers its edge)'],
  ['push', 'Push the page (makes room)'],
];
