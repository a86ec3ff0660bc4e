import type { VerificationMode } from '@lumio/protocol';

/** The verification modes as a select's options, each saying what it does. */
export const VERIFICATION_MODE_OPTIONS: ReadonlyArray<readonly [VerificationMode, string]> = [
  ['optional', 'Optional — unsigned identify allowed, flagged unverified'],
  ['required', 'Required — only signed identify accepted'],
];

/** A verification mode in a word or two, for tables and badges. */
export function verificationModeLabel(mode: VerificationMode): string {
  return mode === 'required' ? 'Signature required' : 'Signature optional';
}
