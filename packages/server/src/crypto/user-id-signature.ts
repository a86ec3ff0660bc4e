import crypto from 'node:crypto';

const HEX_SIGNATURE = /^[0-9a-fA-F]{64}$/;

/** HMAC-SHA256 of the userId keyed with the signing secret (both as UTF-8), as bytes. */
export function computeUserIdMac(userId: string, secret: string): Buffer {
  return crypto.createHmac('sha256', secret).update(userId, 'utf8').digest();
}

/**
 * Checks a hex signature (either case) of a userId in constant time. A
 * signature that is not 64 hex digits never matches.
 */
export function verifyUserIdSignature(userId: string, signature: string, secret: string): boolean {
  if (!HEX_SIGNATURE.test(signature)) return false;
  return crypto.timingSafeEqual(computeUserIdMac(userId, secret), Buffer.from(signature, 'hex'));
}
