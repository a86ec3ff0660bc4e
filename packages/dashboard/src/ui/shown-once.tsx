import { useState, type ReactNode } from 'react';
import { Button } from './button.js';
import { CodeBlock } from './code-block.js';
import { DialogActions, DialogClose } from './dialog.js';

/**
 * The body of a dialog showing a value the API answers only once (an API key,
 * an invite or reset link, a signing secret): the warning to store it now,
 * the value with its copy button, and the button that closes the dialog.
 *
 * @example
 * {created && <ShownOnce warning="Store this key now…" code={created.key} label="API key" copyLabel="Copy key" />}
 */
export function ShownOnce({
  warning,
  warningRole,
  code,
  label,
  copyLabel,
  confirm,
  doneLabel = 'I have stored it',
  onDone,
  children,
}: {
  warning: ReactNode;
  warningRole?: 'alert' | 'note';
  code: string;
  /** The value's accessible name. */
  label: string;
  copyLabel: string;
  /** A checkbox to tick before the done button works, for a value whose loss is costly. */
  confirm?: string;
  doneLabel?: string;
  /** Runs as the done button closes the dialog (also when the dialog ignores Escape and outside clicks). */
  onDone?: () => void;
  /** More about the value, under it. */
  children?: ReactNode;
}) {
  const [stored, setStored] = useState(false);
  return (
    <div className="stack">
      {/* A div, not a paragraph: the stack's gap spaces it, with no paragraph margins on top. */}
      <div className="notice notice-warning" role={warningRole}>
        {warning}
      </div>
      <CodeBlock code={code} label={label} copyLabel={copyLabel} />
      {children}
      {confirm && (
        <label className="row small">
          <input type="checkbox" checked={stored} onChange={(e) => setStored(e.target.checked)} />
          {confirm}
        </label>
      )}
      <DialogActions>
        <DialogClose asChild>
          <Button variant="primary" disabled={confirm !== undefined && !stored} onClick={onDone}>
            {doneLabel}
          </Button>
        </DialogClose>
      </DialogActions>
    </div>
  );
}
