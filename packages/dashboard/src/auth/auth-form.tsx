import type { FormEvent, ReactNode } from 'react';
import { Button } from '../ui/button.js';
import { ErrorMessage } from '../ui/error-message.js';

/**
 * The one form of a page before sign-in (or of a page in its frame): its
 * fields, the API's error, and the submit button that runs `action`.
 */
export function AuthForm({
  action,
  submitLabel,
  children,
  footer,
}: {
  /** The page's mutation: submitting runs it, its error shows above the button. */
  action: { mutate: () => void; error: unknown; isPending: boolean };
  submitLabel: string;
  children: ReactNode;
  /** Under the button: help for whoever is stuck. */
  footer?: ReactNode;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    action.mutate();
  };
  return (
    <form onSubmit={submit} className="stack">
      {children}
      <ErrorMessage error={action.error} />
      <Button type="submit" variant="primary" busy={action.isPending}>
        {submitLabel}
      </Button>
      {footer}
    </form>
  );
}
