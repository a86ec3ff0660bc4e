import { createHmac } from 'node:crypto';
import { normalizeUserId } from '@lumio/protocol';
import { assertSecret } from './assert-secret.js';

/**
 * Signs a userId for `identify`: lowercase hex of HMAC-SHA256 keyed with the
 * widget signing secret, over the UTF-8 bytes of the userId.
 *
 * A number must be a safe integer and is signed as its decimal string; a string
 * is signed exactly as given (never trimmed), so pass the browser the same value.
 *
 * @example
 * import { signUserId } from '@lumio/node';
 * const signature = signUserId(user.id, process.env.LUMIO_SIGNING_SECRET!);
 * // → 'be3551004ebcb201…' (64 hex characters), sent to the page with the userId
 */
export function signUserId(userId: string | number, secret: string): string {
  const normalized = normalizeUserId(userId);
  if (!normalized.ok) throw new TypeError(normalized.issue.message);
  assertSecret(secret);
  // The key is the whole secret string as shown in the dashboard, `lsk_` prefix
  // included; it is not decoded, so every language signs the same bytes.
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(normalized.value, 'utf8').digest('hex');
}
