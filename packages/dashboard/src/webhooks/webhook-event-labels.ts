import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@lumio/protocol';

// NOTE: one entry per WEBHOOK_EVENT_TYPES type (the Record's type fails the build when one is missing).
const LABELS: Record<WebhookEventType, string> = {
  'user.created': 'A user is seen for the first time',
  'user.updated': 'A user’s name, email or properties change',
  'user.verified': 'A user is verified for the first time',
  'user.erased': 'A user is erased',
  'company.updated': 'A company is created or changed',
  'announcement.clicked': 'Someone clicks an announcement’s button',
  'announcement.dismissed': 'Someone dismisses an announcement',
  'identity.failure_spike': 'Failed identify calls rise above the alert threshold',
};

/** Every event type with its words, in the documented order, for the event checkboxes. */
export const WEBHOOK_EVENT_CHOICES: ReadonlyArray<readonly [WebhookEventType, string]> = WEBHOOK_EVENT_TYPES.map(
  (type) => [type, LABELS[type]] as const,
);

/** What an endpoint receives, in words: "All events", or the count and names. */
export function eventsSummary(events: readonly string[]): string {
  if (events.includes('*')) return 'All events';
  return events.join(', ');
}
