/** Outcome of one identify call. */
export type IdentifyOutcome = 'verified' | 'identified' | 'failed';

/** A raw identity-log entry as owners and admins read it. */
export interface IdentityLogView {
  id: number;
  outcome: IdentifyOutcome;
  /** `ok`, or the error code of a failure. */
  reason: string;
  /** For failed signatures: the integration mistake recognised, if any. */
  diagnosis: string | null;
  userId: string | null;
  anonymousId: string | null;
  keyId: string | null;
  ip: string | null;
  createdAt: number;
}

/** An identity-log entry with what to fix for its diagnosis (null without one). */
export interface DiagnosedIdentityLogView extends IdentityLogView {
  hint: string | null;
}

/** `GET …/widgets/:widgetId/identity-log`: newest first. */
export interface IdentityLogAnswer {
  entries: DiagnosedIdentityLogView[];
}

/** Identify outcomes of one hour. */
export interface IdentityHour {
  /** The hour's start, epoch ms. */
  hour: number;
  verified: number;
  identified: number;
  failed: number;
  /** Failed identifies by error code. */
  reasons: Record<string, number>;
  /** Verified calls over all calls of the hour; null when there were none. */
  verifiedRate: number | null;
}

/** `GET …/widgets/:widgetId/identity-stats`: hourly outcomes (only hours with traffic) and their total. */
export interface IdentityStats {
  hours: IdentityHour[];
  total: { verified: number; identified: number; failed: number; verifiedRate: number | null };
}
