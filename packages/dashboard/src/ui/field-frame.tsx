import * as Label from '@radix-ui/react-label';
import { useId, type ReactNode } from 'react';

/** What a labelled control gets from its frame: its id, and the ids of its hint and error for screen readers. */
export interface FieldControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** The label, hint and error around one form control (text input, textarea). */
export function FieldFrame({
  label,
  hint,
  error,
  control,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  control: (props: FieldControlProps) => ReactNode;
}) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <Label.Root htmlFor={id}>{label}</Label.Root>
      {control({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': described })}
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
