import crypto from 'node:crypto';
import { computeUserIdMac } from '../crypto/user-id-signature.js';
import type { SecretMaterial } from '../widgets/signing-secrets.js';

/** Integration mistakes recognised behind an `invalid_signature`, with what to fix. */
export const SignatureDiagnoses = {
  signature_base64: 'The signature is base64; send the HMAC as hex (digest("hex")).',
  signed_email: 'The email was signed instead of the userId; sign the exact userId string.',
  user_id_whitespace: 'The userId has spaces around it that were not signed (or the other way round); sign and send the exact same string.',
  signature_whitespace: 'The signature has spaces or a newline around it; trim it before sending.',
  key_and_message_swapped: 'HMAC key and message are swapped: the key is the signing secret, the message is the userId.',
  retired_secret: 'Signed with a secret whose grace period after rotation has ended; deploy the current secret.',
  revoked_secret: 'Signed with a revoked secret; deploy the current secret.',
  other_widget_secret: "Signed with another widget's secret of this workspace; use this widget's secret.",
  not_hex: 'The signature is not 64 hex digits.',
} as const;

/** A recognised mistake, or null. */
export type SignatureDiagnosis = keyof typeof SignatureDiagnoses;

/** What the diagnosis may look at: never returned to the browser, only logged for owner/admin. */
export interface DiagnosisInput {
  userId: string;
  signature: string;
  email: string | null | undefined;
  /** This widget's secrets in every state still kept (30 days after retirement). */
  own: SecretMaterial[];
  /** Verifying secrets of the workspace's other widgets (never another workspace's). */
  siblings: SecretMaterial[];
}

/**
 * Explains a failed signature by trying the usual mistakes against the
 * secrets the server holds. It reports only which mistake matched, never a
 * secret or a correct signature.
 */
export function diagnoseSignature(input: DiagnosisInput): { diagnosis: SignatureDiagnosis | null; keyId: string | null } {
  const verifying = input.own.filter((s) => s.state === 'current' || s.state === 'grace');
  const given = decodeSignature(input.signature.trim());
  const matches = (mac: Buffer) => given !== null && given.bytes.length === mac.length && crypto.timingSafeEqual(given.bytes, mac);

  for (const s of verifying) {
    const mac = computeUserIdMac(input.userId, s.secret);
    if (given?.encoding === 'base64' && matches(mac)) return { diagnosis: 'signature_base64', keyId: s.keyId };
    if (given?.encoding === 'hex' && input.signature !== input.signature.trim() && matches(mac))
      return { diagnosis: 'signature_whitespace', keyId: s.keyId };
    if (input.email && matches(computeUserIdMac(input.email, s.secret))) return { diagnosis: 'signed_email', keyId: s.keyId };
    if (input.userId !== input.userId.trim() && matches(computeUserIdMac(input.userId.trim(), s.secret)))
      return { diagnosis: 'user_id_whitespace', keyId: s.keyId };
    if (matches(computeUserIdMac(s.secret, input.userId))) return { diagnosis: 'key_and_message_swapped', keyId: s.keyId };
  }
  for (const s of input.own) {
    if (s.state !== 'retired' && s.state !== 'revoked') continue;
    if (matches(computeUserIdMac(input.userId, s.secret)))
      return { diagnosis: s.state === 'retired' ? 'retired_secret' : 'revoked_secret', keyId: s.keyId };
  }
  for (const s of input.siblings) {
    if (matches(computeUserIdMac(input.userId, s.secret))) return { diagnosis: 'other_widget_secret', keyId: s.keyId };
  }
  if (!/^[0-9a-fA-F]{64}$/.test(input.signature)) return { diagnosis: 'not_hex', keyId: null };
  return { diagnosis: null, keyId: null };
}

function decodeSignature(text: string): { encoding: 'hex' | 'base64'; bytes: Buffer } | null {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return { encoding: 'hex', bytes: Buffer.from(text, 'hex') };
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text))
    return { encoding: 'base64', bytes: Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64') };
  return null;
}
