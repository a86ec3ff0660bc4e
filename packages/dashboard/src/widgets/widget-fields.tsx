import type { VerificationMode } from '@lumio/protocol';
import { issueFor, type FormIssue } from '../api/form-issue.js';
import { SelectField } from '../ui/select-field.js';
import { TextField } from '../ui/text-field.js';
import { TextareaField } from '../ui/textarea-field.js';
import { VERIFICATION_MODE_OPTIONS } from './verification-modes.js';

/**
 * A widget's name, allowed origins (one per line) and verification mode, as
 * the create dialog and the settings form both edit them; each form says in
 * its own hints what the origins and the mode mean at that point.
 */
export function WidgetFields({
  name,
  onName,
  origins,
  onOrigins,
  mode,
  onMode,
  issue,
  originsHint,
  modeHint,
  autoFocus,
}: {
  name: string;
  onName: (name: string) => void;
  origins: string;
  onOrigins: (origins: string) => void;
  mode: VerificationMode;
  onMode: (mode: VerificationMode) => void;
  /** The first problem the API's schema finds, shown at its field. */
  issue: FormIssue | null;
  originsHint: string;
  modeHint: string;
  autoFocus?: boolean;
}) {
  return (
    <>
      <TextField
        label="Name"
        required
        maxLength={120}
        value={name}
        onChange={(e) => onName(e.target.value)}
        error={issueFor(issue, 'name')}
        autoFocus={autoFocus}
      />
      <TextareaField
        label="Allowed origins"
        hint={originsHint}
        value={origins}
        onChange={(e) => onOrigins(e.target.value)}
        error={issueFor(issue, 'allowedOrigins')}
        rows={4}
        spellCheck={false}
      />
      <SelectField
        label="Verification mode"
        hint={modeHint}
        options={VERIFICATION_MODE_OPTIONS}
        value={mode}
        onChange={(e) => onMode(e.target.value as VerificationMode)}
      />
    </>
  );
}
