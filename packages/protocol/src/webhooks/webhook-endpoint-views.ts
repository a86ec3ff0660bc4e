import type { WEBHOOK_DELIVERY_STATES } from './webhook-endpoint-bodies.js';

/** A webhook endpoint as the APIs show it (never its secret). */
export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string;
  /** Event types it receives; `["*"]` = every type. */
  events: string[];
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
  /** When it was disabled; null while enabled. */
  disabledAt: number | null;
}

/** `POST …/webhooks` and `POST …/rotate-secret`: the endpoint with its signing secret, shown this once. */
export interface WebhookEndpointWithSecret extends WebhookEndpointView {
  /** `whsec_…`: verifies the `Lumio-Signature` header of each delivery (docs/webhooks.md). */
  secret: string;
}

/** `GET …/webhooks`: a workspace's endpoints, oldest first. */
export interface WebhookEndpointsAnswer {
  endpoints: WebhookEndpointView[];
}

/** Where a delivery is: waiting (first try or a retry), delivered, or given up on. */
export type WebhookDeliveryState = (typeof WEBHOOK_DELIVERY_STATES)[number];

/** One delivery of an event to an endpoint, as the delivery log shows it. */
export interface WebhookDeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  state: WebhookDeliveryState;
  attempts: number;
  /** When the next try is due (pending only). */
  nextAttemptAt: number | null;
  lastAttemptAt: number | null;
  /** The receiver's last HTTP status; null when it was never reached. */
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  completedAt: number | null;
  /** The exact JSON body sent (the same for every try and every resend). */
  payload: unknown;
}

/** `GET …/webhooks/:endpointId/deliveries`: newest first; `nextCursor` reads the next (older) page. */
export interface WebhookDeliveriesAnswer {
  deliveries: WebhookDeliveryView[];
  nextCursor: string | null;
}
