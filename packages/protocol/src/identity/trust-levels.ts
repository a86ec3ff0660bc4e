/**
 * Identity states of a widget session (DESIGN.md): anonymous, identified
 * (unverified userId) or verified (valid signature or signed token).
 */
export const TrustLevels = {
  anonymous: 'anonymous',
  identified: 'identified',
  verified: 'verified',
} as const;

/** The identity state of a session. */
export type IdentityState = (typeof TrustLevels)[keyof typeof TrustLevels];

/** The trust level a user's data was written under: only the two identified states. */
export type TrustLevel = Exclude<IdentityState, 'anonymous'>;
