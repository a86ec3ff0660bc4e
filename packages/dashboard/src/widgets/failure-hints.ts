// NOTE: what to fix for each identify failure code, in step with the messages of
// packages/protocol/src/errors/error-codes.ts (the browser entry of the protocol
// exports the codes' type only, not their messages).
const HINTS: Record<string, string> = {
  invalid_signature:
    'The signature does not match: sign the exact userId with HMAC-SHA256 and the widget signing secret, and send it as hex.',
  signature_required: 'This widget requires a signed identify: compute the signature on your server and pass it with the userId.',
  invalid_identity_token:
    "The identity token is malformed, tampered with or signed with a key this widget does not accept; sign it with the widget's current secret and its key id as kid.",
  identity_token_expired: 'The identity token has expired; issue a fresh one from your server for each page load.',
  identity_token_lifetime_too_long:
    "The identity token's exp is further ahead than this server accepts (24 h by default); issue short-lived tokens (minutes) for each page load.",
  identity_token_issued_in_future:
    "The identity token's iat is in the future: check the clock of the server that signs tokens (NTP), and set iat to the time of signing.",
  invalid_user_id: 'userId must be a non-empty string of at most 255 characters, or a safe integer.',
  invalid_profile: 'A profile field is invalid (name, email, birthday as YYYY-MM-DD, gender).',
  invalid_property: 'A property value is invalid; values are strings, numbers, booleans, ISO dates, flat lists of strings, or null.',
  property_limit_exceeded: 'A property breaks a size limit: send fewer or shorter properties.',
  invalid_session: 'The widget session token was missing, invalid or expired; the SDK starts a new session on its own.',
  invalid_request: 'The identify call was malformed; check its fields against the docs (docs/identify.md).',
};

/** What to fix for a failed identify: the diagnosed mistake's hint when there is one, else the failure code's advice. */
export function failureHint(reason: string, diagnosisHint?: string | null): string {
  return diagnosisHint ?? HINTS[reason] ?? 'See the identity guide (docs/identify.md) for this error code.';
}

/** An identify failure code in words. */
export function failureLabel(reason: string): string {
  const words: Record<string, string> = {
    invalid_signature: 'Signature does not match',
    signature_required: 'Signature missing (required)',
    invalid_identity_token: 'Identity token refused',
    identity_token_expired: 'Identity token expired',
    identity_token_lifetime_too_long: 'Identity token lives too long',
    identity_token_issued_in_future: 'Identity token issued in the future',
    invalid_user_id: 'Invalid user id',
    invalid_profile: 'Invalid profile',
    invalid_property: 'Invalid property',
    property_limit_exceeded: 'Property too large',
    invalid_session: 'Widget session expired',
    invalid_request: 'Malformed identify',
  };
  return words[reason] ?? reason;
}
