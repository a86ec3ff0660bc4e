import * as Label from '@radix-ui/react-label';
import { useId, type ReactNode, type SelectHTMLAttributes } from 'react';

/** A labelled native select (keyboard and screen readers work as the platform does). */
export function SelectField({
  label,
  hint,
  options,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & {
  label: ReactNode;
  hint?: ReactNode;
  options: ReadonlyArray<readonly [value: string, label: string]>;
}) {
  const id = useId();
  return (
    <div className="field">
      <Label.Root htmlFor={id}>{label}</Label.Root>
      <select id={id} aria-describedby={hint ? `${id}-hint` : undefined} {...props}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  );
}
