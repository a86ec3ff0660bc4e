// One line per usual integration mistake: what to fix, not what happened.
const HINTS: Record<string, string> = {
  invalid_signature:
    "sign the userId on your server: hex HMAC-SHA256 of the exact userId string, keyed with this widget's signing secret (the widget's identity log says which mistake it was)",
  signature_required: 'this widget requires verified users: send signature (or hmac) with identify, computed on your server',
  invalid_user_id: 'userId must be a non-empty string of at most 255 characters, or a safe integer',
  invalid_identity_token: "the identity token must be an HS256 JWT signed with the widget's secret, with kid, sub and a future exp",
  identity_token_expired: 'the identity token has expired: mint a new one on your server for each page load',
  invalid_session: 'the widget session expired or belongs to another widget; Lumio starts a new one on the next call',
  widget_not_found: 'check the widgetId passed to init',
  widget_origin_not_allowed: "add this page's origin to the widget's allowed origins in the Lumio dashboard",
  network_error: 'Lumio could not be reached: check apiBase and the network',
  rate_limited: 'too many identify calls from this browser: call identify once per page load',
};

/** The one-line console hint for an error code. */
export function errorHint(code: string, message: string): string {
  return `Lumio: ${code}: ${HINTS[code] ?? message}`;
}
