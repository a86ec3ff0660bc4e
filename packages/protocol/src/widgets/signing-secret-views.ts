/** Lifecycle of a signing secret. */
export type SecretState = 'current' | 'grace' | 'retired' | 'revoked';

/** A signing secret's metadata as listed in the dashboard (owner/admin only); never its value. */
export interface SecretView {
  keyId: string;
  state: SecretState;
  createdAt: number;
  lastUsedAt: number | null;
  /** End of the grace period (grace), or when it stopped verifying (retired). */
  expiresAt: number | null;
  revokedAt: number | null;
}

/** A secret's value: answered only at creation, rotation or an audited reveal. */
export interface SecretValue {
  keyId: string;
  secret: string;
}

/** A secret that still verifies, with its value (`POST …/secrets/reveal`). */
export interface RevealedSecret extends SecretValue {
  state: SecretState;
}

/** `GET …/secrets`, and what revoking one answers: the widget's secrets, the one in use first. */
export interface SecretsAnswer {
  secrets: SecretView[];
}

/** `POST …/secrets/reveal`: the current secret and any still in their grace period. */
export interface RevealedSecretsAnswer {
  secrets: RevealedSecret[];
}

/** `POST …/secrets/rotate`: the new secret once, when the previous one stops verifying, and the list with both. */
export interface RotatedSecret extends SecretValue {
  previousExpireAt: number;
  secrets: SecretView[];
}
