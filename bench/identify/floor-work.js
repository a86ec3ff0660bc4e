// The floor's work, shared by the floor and the Fastify references so they do
// exactly the same thing: check the HMAC of the userId of a parsed body.
import crypto from 'node:crypto';

const HEX_SIGNATURE = /^[0-9a-fA-F]{64}$/;

/** Whether `body` ({ userId, signature }) carries a valid hex HMAC-SHA256 of its userId under `secret` (a Buffer). */
export function floorSignatureValid(body, secret) {
  if (typeof body?.userId !== 'string' || typeof body.signature !== 'string' || !HEX_SIGNATURE.test(body.signature)) return false;
  const mac = crypto.createHmac('sha256', secret).update(body.userId, 'utf8').digest();
  return crypto.timingSafeEqual(mac, Buffer.from(body.signature, 'hex'));
}
