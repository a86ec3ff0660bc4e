import { MIN_PASSWORD_LENGTH as MIN_LENGTH } from '@lumio/protocol';
import { TextField } from '../ui/text-field.js';

/** A password being chosen (setup, an invite, a reset link): the browser offers to generate and save it. */
export function NewPasswordField({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  return (
    <TextField
      label={label}
      hint={`At least ${MIN_LENGTH} characters.`}
      type="password"
      autoComplete="new-password"
      minLength={MIN_LENGTH}
      required
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
