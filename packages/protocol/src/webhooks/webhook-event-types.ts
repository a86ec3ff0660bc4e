/**
 * Every webhook event type, each a versioned JSON payload documented in
 * docs/webhooks.md. An endpoint subscribes to a list of these (or `*`).
 */
export const WEBHOOK_EVENT_TYPES = [
  'user.created',
  'user.updated',
  'user.verified',
  'user.erased',
  'company.updated',
  'announcement.clicked',
  'announcement.dismissed',
  'identity.failure_spike',
] as const;

/** One webhook event type. */
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The payload schema version every event carries (`"version": 1`); bumped only on a breaking change. */
export const WEBHOOK_PAYLOAD_VERSION = 1;

/** Whether a string is one of {@link WEBHOOK_EVENT_TYPES}. */
export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}
