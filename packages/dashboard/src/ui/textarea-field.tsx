import type { ReactNode, TextareaHTMLAttributes } from 'react';
import { FieldFrame } from './field-frame.js';

/** A labelled multi-line input (Markdown bodies, JSON conditions, lists of origins). */
export function TextareaField({
  label,
  hint,
  error,
  ...props
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { label: ReactNode; hint?: ReactNode; error?: string | undefined }) {
  return <FieldFrame label={label} hint={hint} error={error} control={(wiring) => <textarea {...wiring} {...props} />} />;
}
