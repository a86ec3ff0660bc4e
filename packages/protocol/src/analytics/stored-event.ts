/** A stored event as the API shows it (a user's recent activity, exports). */
export interface StoredEvent {
  eventId: string;
  widgetId: string;
  name: string;
  at: number;
  userId: string | null;
  anonymousId: string;
  /** The trust level of the session that sent it: `anonymous`, `identified` or `verified`. */
  trust: string;
  object: string | null;
  props: Record<string, unknown>;
}
