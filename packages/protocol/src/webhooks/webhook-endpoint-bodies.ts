import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from './webhook-event-types.js';

/** Limits of webhook endpoints, shared by the server's checks and the dashboard's form. */
export const WEBHOOK_ENDPOINT_LIMITS = {
  /** Endpoints one workspace may have (enabled or not). */
  perWorkspace: 20,
  urlLength: 2048,
  descriptionLength: 500,
} as const;

/** What an endpoint subscribes to: event types of WEBHOOK_EVENT_TYPES, or `*` for every type (today's and future ones). */
export const webhookEventSelection = z
  .array(z.enum(['*', ...WEBHOOK_EVENT_TYPES]))
  .min(1, 'Choose at least one event, or * for all.')
  .max(WEBHOOK_EVENT_TYPES.length + 1);

/**
 * `POST …/webhooks` (dashboard) and `POST /server/v1/webhooks` (API key). The
 * URL is checked in full by the server (http or https, no user:password, its
 * host allowed); the secret is made by the server, never sent.
 */
export const webhookEndpointBody = z.strictObject({
  url: z.string().trim().min(1).max(WEBHOOK_ENDPOINT_LIMITS.urlLength),
  description: z.string().trim().max(WEBHOOK_ENDPOINT_LIMITS.descriptionLength).optional(),
  events: webhookEventSelection,
  enabled: z.boolean().optional(),
});

/** `PATCH …/webhooks/:endpointId`: any field of {@link webhookEndpointBody}. */
export const webhookEndpointPatchBody = webhookEndpointBody.partial();

/** What `POST …/webhooks` takes. */
export type WebhookEndpointBody = z.input<typeof webhookEndpointBody>;

/** The delivery states a delivery log can be narrowed to. */
export const WEBHOOK_DELIVERY_STATES = ['pending', 'succeeded', 'failed'] as const;
