import type { InputHTMLAttributes, ReactNode } from 'react';
import { FieldFrame } from './field-frame.js';

/** A labelled input with an optional hint and error, wired for screen readers. */
export function TextField({
  label,
  hint,
  error,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { label: ReactNode; hint?: ReactNode; error?: string | undefined }) {
  return <FieldFrame label={label} hint={hint} error={error} control={(wiring) => <input {...wiring} {...props} />} />;
}
