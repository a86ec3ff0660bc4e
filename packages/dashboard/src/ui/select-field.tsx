import type { ReactNode, SelectHTMLAttributes } from 'react';
import { FieldFrame } from './field-frame.js';

/** A labelled native select (keyboard and screen readers work as the platform does), with an optional hint and error. */
export function SelectField({
  label,
  hint,
  error,
  options,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  options: ReadonlyArray<readonly [value: string, label: string]>;
}) {
  return (
    <FieldFrame
      label={label}
      hint={hint}
      error={error}
      control={(wiring) => (
        <select {...wiring} {...props}>
          {options.map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      )}
    />
  );
}
