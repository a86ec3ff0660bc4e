import crypto from 'node:crypto';
import type { SecretBox } from '../crypto/secret-box.js';
import { newToken } from '../crypto/tokens.js';

/** The User-Agent of every delivery; receivers may filter on it. */
export const WEBHOOK_USER_AGENT = 'Lumio-Webhooks/1';

/** How old a delivery's timestamp may be before a receiver should refuse it (docs/webhooks.md). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * The `Lumio-Signature` header of a delivery: `t=<unix seconds>,v1=<hex>`, the
 * hex being HMAC-SHA256 keyed with the endpoint's secret over
 * `"<t>.<raw body>"`. The timestamp is signed with the body, so a receiver
 * that refuses old timestamps refuses replays of a captured delivery.
 *
 * @example signWebhook('whsec_…', 1767225600, '{"id":"evt_1",…}') // 't=1767225600,v1=5f0c…'
 */
export function signWebhook(secret: string, timestampSeconds: number, body: string): string {
  const mac = crypto.createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

/** The headers of a delivery of `body` (the event's JSON) at `now` (epoch ms). */
export function webhookHeaders(secret: string, event: { id: string; type: string }, body: string, now: number): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': WEBHOOK_USER_AGENT,
    'lumio-event-id': event.id,
    'lumio-event-type': event.type,
    'lumio-signature': signWebhook(secret, Math.floor(now / 1000), body),
  };
}

/** A new endpoint signing secret (256 bits), shown once when the endpoint is created. */
export function newWebhookSecret(): string {
  return newToken('whsec');
}

/**
 * Encrypts an endpoint's secret for `webhook_endpoints.secret_ciphertext`,
 * bound to the endpoint's id: a ciphertext copied to another endpoint's row
 * does not decrypt.
 */
export function sealWebhookSecret(box: SecretBox, endpointId: string, secret: string): string {
  return box.seal(secret, associatedData(endpointId));
}

/** Decrypts what {@link sealWebhookSecret} stored for this endpoint. */
export function openWebhookSecret(box: SecretBox, endpointId: string, ciphertext: string): string {
  return box.open(ciphertext, associatedData(endpointId));
}

// NOTE: sealWebhookSecret and openWebhookSecret must agree on this.
function associatedData(endpointId: string): string {
  return `webhook-endpoint:${endpointId}`;
}
