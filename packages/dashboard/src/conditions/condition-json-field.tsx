import { TextareaField } from '../ui/textarea-field.js';

/** A targeting condition typed as JSON: monospace (`textarea.json`), no spell-checking, an example as placeholder. */
export function ConditionJsonField({
  value,
  onChange,
  placeholder,
  hint,
  error,
  rows,
}: {
  value: string;
  onChange: (text: string) => void;
  placeholder: string;
  hint: string;
  error: string | undefined;
  rows?: number;
}) {
  return (
    <TextareaField
      label="Condition (JSON)"
      className="json"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      placeholder={placeholder}
      hint={hint}
      error={error}
      spellCheck={false}
      rows={rows}
    />
  );
}
