// The widget API's shapes as the dashboard reads them. NOTE: keep in step with
// packages/server/src/widgets/widgets-service.ts, signing-secrets.ts and the
// identity routes in widgets-routes.ts.

/** Whether a widget accepts unsigned identify calls. */
export type VerificationMode = 'optional' | 'required';

/** Where the launcher sits on the host page. */
export type WidgetPosition = 'bottom-right' | 'bottom-left';

/** A widget as the API shows it (never its secret). */
export interface WidgetView {
  id: string;
  workspaceId: string;
  name: string;
  allowedOrigins: string[];
  verificationMode: VerificationMode;
  appearance: { color: string; position: WidgetPosition };
  createdAt: number;
  updatedAt: number;
}

/** A secret's value, answered only at creation, rotation or an audited reveal. */
export interface SecretValue {
  keyId: string;
  secret: string;
}

/** `POST /widgets`: the new widget with its first signing secret, shown this once. */
export type CreatedWidget = WidgetView & { signingSecret: SecretValue };

/** Lifecycle of a signing secret. */
export type SecretState = 'current' | 'grace' | 'retired' | 'revoked';

/** A signing secret's metadata (owner/admin only). */
export interface SecretView {
  keyId: string;
  state: SecretState;
  createdAt: number;
  lastUsedAt: number | null;
  /** End of the grace period (grace), or when it stopped verifying (retired). */
  expiresAt: number | null;
  revokedAt: number | null;
}

/** `POST /secrets/rotate`: the new secret once, and the list with both keys. */
export interface RotatedSecret extends SecretValue {
  previousExpireAt: number;
  secrets: SecretView[];
}

/** Identify outcomes of one hour. */
export interface IdentityHour {
  hour: number;
  verified: number;
  identified: number;
  failed: number;
  /** Failed identifies by error code. */
  reasons: Record<string, number>;
  verifiedRate: number | null;
}

/** `GET /identity-stats`: hourly outcomes (only hours with traffic) and their total. */
export interface IdentityStats {
  hours: IdentityHour[];
  total: { verified: number; identified: number; failed: number; verifiedRate: number | null };
}

/** One raw identity-log entry (owner/admin only), with the fix for a diagnosed mistake. */
export interface IdentityLogEntry {
  id: number;
  outcome: 'verified' | 'identified' | 'failed';
  reason: string;
  diagnosis: string | null;
  hint: string | null;
  userId: string | null;
  anonymousId: string | null;
  keyId: string | null;
  ip: string | null;
  createdAt: number;
}
