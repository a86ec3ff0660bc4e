import type { BuiltInEventName, PropertyValue } from '@lumio/protocol/browser';

// NOTE: the props of BuiltInEvents in @lumio/protocol (analytics/analytics-event.ts); the server validates them,
// these types only keep the widget from sending what it would refuse.
interface Props {
  $widget_opened: Record<never, never>;
  $widget_closed: Record<never, never>;
  /** `search: true` when opened from search results (counts toward interests as a search click). */
  $article_viewed: { articleId: string; search?: boolean };
  $article_searched: { query: string; results: number };
  $article_rated: { articleId: string; helpful: boolean };
  $article_saved: { articleId: string; saved: boolean };
  $announcement_shown: { announcementId: string };
  $announcement_clicked: { announcementId: string };
  $announcement_dismissed: { announcementId: string };
  $identify: { outcome: 'verified' | 'identified' | 'failed'; reason?: string; attemptedUserId?: string };
}

/** The arguments after the name of a built-in event: its props, or none for an event without props. */
export type BuiltInEventArgs<N extends BuiltInEventName> = N extends keyof Props
  ? keyof Props[N] extends never
    ? []
    : [props: Props[N]]
  : [props: Record<string, PropertyValue>];

/**
 * Records one of Lumio's own `$…` events (what the widget does with `engine.record`).
 *
 * @example record('$article_viewed', { articleId: 'art_1' })
 */
export type RecordEvent = <N extends BuiltInEventName>(name: N, ...props: BuiltInEventArgs<N>) => void;
