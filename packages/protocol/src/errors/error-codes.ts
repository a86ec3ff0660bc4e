/**
 * The one registry of stable error codes shared by the server, the SDK and the
 * Node helper: each code has its HTTP status and a message that says what to do.
 *
 * Codes are part of the public API: never rename one, only add.
 */
export const ErrorCodes = {
  // Requests in general
  invalid_request: { status: 400, message: 'The request is malformed; see details for the fields at fault.' },
  payload_too_large: {
    status: 413,
    message: 'The request body is larger than this endpoint accepts; send less (fewer properties, shorter values).',
  },
  invalid_string: {
    status: 400,
    message:
      'A string contains a NUL character (U+0000) or an unpaired surrogate, which cannot be stored; details.field names it: remove the character or send valid Unicode text.',
  },
  unsupported_media_type: { status: 415, message: 'Send the request body as application/json.' },
  not_found: { status: 404, message: 'No such resource in this workspace; check the id and the workspace you are signed in to.' },
  rate_limited: { status: 429, message: 'Too many requests; wait for the time in Retry-After and try again.' },
  internal_error: { status: 500, message: 'Something went wrong on the server; quote the request id when reporting it.' },
  service_unavailable: {
    status: 503,
    message: 'The server is not ready (database unreachable or not migrated); retry shortly and check the server logs.',
  },
  storage_unavailable: {
    status: 503,
    message:
      'The server cannot write to its database right now (disk full, read-only or unreachable); retry after the time in Retry-After. Operators: see the server log and /readyz.',
  },
  content_too_complex: {
    status: 422,
    message:
      'This Markdown document is too complex to render (nested more than 100 levels, or it took longer than the time budget); simplify the document named in details and save again.',
  },
  rendering_busy: {
    status: 503,
    message: 'The server is rendering as many Markdown documents as it can queue; wait for the time in Retry-After and try again.',
  },
  conflict: { status: 409, message: 'The resource already exists or was changed concurrently; reload it and try again.' },

  // Accounts, sessions and roles
  unauthenticated: { status: 401, message: 'Sign in first (no valid session cookie or API key).' },
  invalid_credentials: { status: 401, message: 'The email or password is wrong; try again or ask an owner or admin for a reset link.' },
  reauthentication_required: { status: 401, message: 'Confirm your password to do this (or sign in again within the last 5 minutes).' },
  forbidden: { status: 403, message: 'Your role in this workspace does not allow this; ask an owner or admin.' },
  origin_not_allowed: {
    status: 403,
    message: 'The request Origin is not allowed; state-changing requests must come from the Lumio dashboard origin.',
  },
  invalid_setup_token: {
    status: 403,
    message: 'The setup token is wrong or setup was already completed; use the newest token printed at start-up, or sign in.',
  },
  invalid_invite: { status: 400, message: 'The invite link is invalid, used or expired; ask for a new one.' },
  invalid_reset_token: { status: 400, message: 'The password-reset link is invalid, used or expired; ask for a new one.' },
  weak_password: { status: 400, message: 'Choose a password of at least 10 characters.' },
  email_taken: { status: 409, message: 'An account with this email already exists; sign in instead.' },
  last_owner: { status: 409, message: 'A workspace needs at least one owner; make someone else owner first.' },
  account_outside_your_authority: {
    status: 403,
    message:
      'This account also belongs to a workspace where you do not outrank it, so only the server operator can change it: ask them to run `lumio accounts reset-password <email>`.',
  },
  invalid_api_key: { status: 401, message: 'The API key is missing, wrong or revoked; create one in the dashboard.' },

  dashboard_unavailable: {
    status: 503,
    message: 'The dashboard is not built on this server; run `npm run build` (npm ci and npm start do it).',
  },
  // Widgets and secrets
  widget_script_unavailable: {
    status: 503,
    message: 'The widget script is not built on this server; run `npm run build` (npm ci and npm start do it).',
  },
  widget_not_found: { status: 404, message: 'No widget with this id; check the widgetId passed to init.' },
  widget_origin_not_allowed: {
    status: 403,
    message: "This page's origin is not in the widget's allowed origins; add it in the widget settings.",
  },
  secret_not_found: { status: 404, message: 'No such active signing secret for this widget; list the secrets to see their key ids.' },

  // Identify
  invalid_session: { status: 401, message: 'The widget session token is missing, invalid or expired; start a new session.' },
  invalid_user_id: { status: 400, message: 'userId must be a non-empty string of at most 255 characters, or a safe integer.' },
  invalid_signature: {
    status: 401,
    message: 'The signature does not match: sign the exact userId with HMAC-SHA256 and the widget signing secret, and send it as hex.',
  },
  signature_required: {
    status: 401,
    message: 'This widget requires a signed identify: compute the signature on your server and pass it with the userId.',
  },
  invalid_identity_token: {
    status: 401,
    message:
      "The identity token is malformed, tampered with or signed with a key this widget does not accept; sign it with the widget's current secret and its key id as kid.",
  },
  identity_token_expired: {
    status: 401,
    message: 'The identity token has expired; issue a fresh one from your server for each page load.',
  },
  identity_token_lifetime_too_long: {
    status: 401,
    message:
      "The identity token's exp is further ahead than this server accepts (LUMIO_IDENTITY_TOKEN_MAX_LIFETIME_SECONDS, 24 h by default); issue short-lived tokens (minutes) for each page load.",
  },
  identity_token_issued_in_future: {
    status: 401,
    message:
      "The identity token's iat is in the future: check the clock of the server that signs tokens (NTP), and set iat to the time of signing.",
  },
  invalid_profile: {
    status: 400,
    message: 'A profile field is invalid; details.field names it (name, email, birthday as YYYY-MM-DD, gender).',
  },
  invalid_property: {
    status: 400,
    message: 'A property value is invalid; values are strings, numbers, booleans, ISO dates, flat lists of strings, or null.',
  },
  property_limit_exceeded: { status: 400, message: 'A property breaks a size limit; see details for the key and the limit.' },
  invalid_company: {
    status: 400,
    message:
      'A company is invalid: send { id, name, properties } with an id like a userId (a non-empty string of at most 255 characters, or a safe integer); details.field names the field.',
  },
  too_many_companies: { status: 400, message: 'Too many companies for one user in one call; at most 20 are allowed.' },

  // Bulk import (POST /server/v1/users/import)
  import_malformed: {
    status: 400,
    message:
      'The import file cannot be read past the line in details.line (broken CSV quoting, a bad header, invalid UTF-8); the rows before it were stored, as details says: fix the file and import it again (rows already stored are updated in place).',
  },
  import_line_too_long: {
    status: 400,
    message: 'This line of the import file is longer than the server accepts for one row (LUMIO_BODY_LIMIT_BYTES); shorten it.',
  },
  // Targeting, segments and announcements
  invalid_condition: {
    status: 400,
    message: 'The targeting condition is invalid; details.issues lists each problem with where it is (see docs/targeting.md).',
  },
  segment_in_use: {
    status: 409,
    message: 'This segment is used by announcements or other segments (details.usedBy); remove it from them first.',
  },

  // Analytics
  invalid_event: { status: 400, message: 'The event is malformed; details.field names the part at fault (see docs/analytics.md).' },
  unknown_event_type: {
    status: 400,
    message: 'Event names starting with "$" are Lumio\'s own and this one is unknown; name your own events without "$".',
  },
  event_time_out_of_range: {
    status: 400,
    message: "The event's time is more than 72 hours old or more than 10 minutes ahead of the server; check the browser's clock.",
  },
  too_many_events: { status: 413, message: 'A batch may hold at most 100 events; send them in several batches.' },
  events_quota_exceeded: {
    status: 429,
    message: 'This workspace is sending more events than its ingestion quota allows; wait for the time in Retry-After.',
  },
  // Help center
  invalid_tag: {
    status: 400,
    message:
      'A tag has nothing to keep: tags become topic keys of a-z, 0-9, - and _ (accents dropped, at most 64 characters), so give each tag at least one such letter or digit; details.field names it (tags.<index>).',
  },
  // Webhook URLs (webhooks/ssrf-guard.ts)
  webhook_url_unresolvable: {
    status: 400,
    message: "The webhook URL's host name does not resolve; check its spelling and DNS, then try again.",
  },
  webhook_url_forbidden: {
    status: 400,
    message:
      'The webhook URL leads to a loopback, private, link-local or other non-public address, which webhooks may not reach; use a public URL (an operator may allow private ones with LUMIO_WEBHOOK_ALLOW_PRIVATE=true).',
  },
  // Email
  email_not_configured: {
    status: 409,
    message:
      'This Lumio instance has no outgoing email: set LUMIO_SMTP_URL, or the instance owner sets SMTP in the dashboard; meanwhile copy the link and send it yourself.',
  },
  email_send_failed: {
    status: 502,
    message:
      'The SMTP server did not accept the email (unreachable, refused or timed out); nothing else was lost: copy the link and send it yourself, and check the SMTP settings.',
  },
  invalid_invite_email: {
    status: 400,
    message:
      'The invite email is not an email address (name@domain, at most 320 characters); correct it, or leave it empty to invite by link only.',
  },
  invite_email_mismatch: {
    status: 400,
    message:
      'This invite was sent to another email address: create the account with the address the invite was sent to, or ask for a new invite.',
  },
  instance_owner_only: {
    status: 403,
    message: 'Only the owner of this Lumio instance (the account that completed setup) can see or change its email settings.',
  },
  email_set_by_environment: {
    status: 409,
    message:
      'Email is configured by LUMIO_SMTP_URL on the server, which wins over the dashboard: change it there, or unset it to use the dashboard settings.',
  },
  // Merging user ids (server API)
  merge_same_user: {
    status: 400,
    message: 'A user cannot be merged into itself: send the old id as `from` and the surviving id in the path.',
  },
  // Webhook endpoints
  invalid_webhook_url: {
    status: 400,
    message:
      'The webhook URL is not usable: give a full http:// or https:// address of at most 2048 characters, without a user name or password in it; details.reason says what is wrong.',
  },
  webhook_endpoint_limit: {
    status: 409,
    message:
      'This workspace has as many webhook endpoints as it may (20); delete one you no longer use, or send several event types to one endpoint.',
  },
  webhook_endpoint_disabled: {
    status: 409,
    message: 'This webhook endpoint is disabled, so nothing is sent to it: enable it first, then resend.',
  },
  // Audit log filters
  invalid_date: {
    status: 400,
    message:
      'A date is not understood: send milliseconds since 1970 or an ISO 8601 date such as 2026-12-01 or 2026-12-01T09:30:00Z; details.field names it.',
  },
  invalid_date_range: { status: 400, message: 'The range starts after it ends: make `from` earlier than or equal to `to`.' },
  unknown_audit_action: {
    status: 400,
    message:
      'No audit action has this name; the known ones are listed in docs/dashboard.md (Audit log), e.g. widget.create or secret.reveal_denied.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

/** A stable error code from {@link ErrorCodes}. */
export type ErrorCode = keyof typeof ErrorCodes;

/** The JSON error body every Lumio endpoint answers with. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown>; requestId?: string };
}

/** Whether a string is one of the registered error codes. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ErrorCodes, code);
}
