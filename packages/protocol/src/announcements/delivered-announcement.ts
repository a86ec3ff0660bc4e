// The wire shapes of GET /widget/v1/:widgetId/announcements and of its events:
// the server builds them (announcement-delivery.ts), the widget reads them.
// Types only, so the widget bundle imports nothing from here at run time; it
// still reads answers defensively (see packages/widget/src/theme/theme.ts).

/** Where the launcher and its panel sit. */
export type WidgetPosition = 'bottom-right' | 'bottom-left';

/**
 * How a banner meets the host page: `overlay` covers the page's top (or
 * bottom) strip; `push` makes room for it, moving the page's content down (or
 * making room at the end), so the page's own header stays visible.
 */
export type BannerPlacement = 'overlay' | 'push';

/** Per-widget look set in the dashboard. */
export interface Appearance {
  /** Brand colour, `#rrggbb` (the widget also copes with `#rgb`). */
  color: string;
  position: WidgetPosition;
  /** The placement of banners that do not choose their own (`overlay` until the team changes it). */
  bannerPlacement: BannerPlacement;
}

/** A call to action: a button-like link under the announcement. */
export interface CallToAction {
  label: string;
  url: string;
}

/** One announcement as the widget API hands it to this session (targeting and frequency already applied). */
export interface DeliveredAnnouncement {
  id: string;
  kind: 'popup' | 'banner' | 'post';
  title: string;
  /** Sanitised by the server when the announcement was saved. */
  html: string;
  cta: CallToAction | null;
  bannerPosition: 'top' | 'bottom';
  /** Resolved by the server: the announcement's own choice, else the widget's `appearance.bannerPlacement`. */
  bannerPlacement: BannerPlacement;
  frequency: 'once' | 'until_dismissed' | 'every_session';
  priority: number;
  publishedAt: number;
  seen: boolean;
  clicked: boolean;
  dismissed: boolean;
}

/** The answer of GET announcements: the widget's appearance and what this session may see, best first. */
export interface AnnouncementsAnswer {
  appearance: Appearance;
  announcements: DeliveredAnnouncement[];
}

/** What the widget reports about an announcement (POST announcements/:id/events). */
export type AnnouncementEventType = 'seen' | 'clicked' | 'dismissed';
