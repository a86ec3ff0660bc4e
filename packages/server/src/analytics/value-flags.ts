import type { ValueFlag } from '@lumio/protocol';

const EMAIL = /^[^\s@]+@[^\s@]+\.[A-Za-z]{2,}$/;
const URL_LIKE = /^(?:[a-z][a-z0-9+.-]*:\/\/|www\.)\S+$/i;
// A phone number: digits with the usual separators, an optional leading "+".
const PHONE_LIKE = /^\+?[\d\s().-]+$/;
const ISO_DATE_START = /^\d{4}-\d{2}-\d{2}/;
const JWT = /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
// Prefixes of well-known secret formats: Stripe secret and restricted keys, GitHub tokens, Slack tokens,
// AWS access key ids, Google API keys, GitLab tokens, OpenAI-style keys, bearer headers.
const SECRET_PREFIX =
  /^(?:(?:sk|rk)_(?:live|test)_|gh[pousr]_|github_pat_|xox[abpors]-|AKIA[0-9A-Z]{12}|AIza[0-9A-Za-z_-]{20}|glpat-|sk-[A-Za-z0-9_-]{20}|bearer\s)/i;
const HEX = /^[0-9a-f]+$/i;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const MIN_SECRET_LENGTH = 32;
// Bits per character: random hex gives ~3.9 over 32 characters, random base64 ~4.6; words and ids far less.
const MIN_HEX_ENTROPY = 3.2;
const MIN_BASE64_ENTROPY = 4.2;
// Key words (whole words of the key: `user_ssn`, `passportNumber`, `Credit Card`) naming data to keep out of properties.
const PERSONAL_KEY =
  /\b(?:ssn|social ?security|passport|password|passwd|pwd|credit ?card|card ?number|cvv|cvc|iban|tax ?id|national ?id)\b/;

/** What a string value looks like it is: an email, a secret or token, a phone number, a URL. */
export function valueFlags(value: string): ValueFlag[] {
  const flags: ValueFlag[] = [];
  const text = value.trim();
  if (EMAIL.test(text)) flags.push('email');
  if (URL_LIKE.test(text)) flags.push('url');
  if (looksLikePhone(text)) flags.push('phone');
  if (looksLikeSecret(text)) flags.push('token');
  return flags;
}

/** `personal` when a property's key names data that should not be a property (SSN, passport, password, card number…). */
export function keyFlags(key: string): ValueFlag[] {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '')
    .join(' ');
  return PERSONAL_KEY.test(words) ? ['personal'] : [];
}

function looksLikePhone(text: string): boolean {
  if (!PHONE_LIKE.test(text) || ISO_DATE_START.test(text)) return false;
  const digits = text.replace(/\D/g, '').length;
  // A bare run of digits is as likely an id or an amount: ask for a "+" or a separator other than a dot (versions, IPs).
  return digits >= 7 && digits <= 15 && (text.startsWith('+') || /[\s()-]/.test(text));
}

function looksLikeSecret(text: string): boolean {
  if (JWT.test(text) || SECRET_PREFIX.test(text)) return true;
  if (text.length < MIN_SECRET_LENGTH) return false;
  if (HEX.test(text)) return entropy(text.toLowerCase()) >= MIN_HEX_ENTROPY;
  // Random base64 mixes cases and digits; a long snake_case name or a word does not.
  return BASE64.test(text) && /[a-z]/.test(text) && /[A-Z]/.test(text) && /\d/.test(text) && entropy(text) >= MIN_BASE64_ENTROPY;
}

/** Shannon entropy of a string's characters, in bits per character. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
