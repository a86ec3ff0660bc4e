import * as Label from '@radix-ui/react-label';
import { useId, type ReactNode, type TextareaHTMLAttributes } from 'react';

/** A labelled multi-line input (Markdown bodies, JSON conditions, lists of origins). */
export function TextareaField({
  label,
  hint,
  error,
  ...props
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { label: ReactNode; hint?: ReactNode; error?: string | undefined }) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <Label.Root htmlFor={id}>{label}</Label.Root>
      <textarea id={id} aria-invalid={error ? true : undefined} aria-describedby={described} {...props} />
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
