import { changePasswordBody, MIN_PASSWORD_LENGTH as MIN_LENGTH, type ChangePasswordBody } from '@lumio/protocol';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api/api-client.js';
import { formIssue, issueFor } from '../api/form-issue.js';
import { Button } from '../ui/button.js';
import { ErrorMessage } from '../ui/error-message.js';
import { TextField } from '../ui/text-field.js';

/** Changes the password (`POST /auth/change-password`): the current one is asked, and the account's other sessions end. */
export function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [tried, setTried] = useState(false);
  const body: ChangePasswordBody = { currentPassword: current, newPassword: next };
  const change = useMutation({
    mutationFn: () => api('/auth/change-password', { method: 'POST', body }),
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setRepeat('');
      setTried(false);
    },
  });
  const issue = tried ? formIssue(changePasswordBody, body) : null;
  // The strength the schema leaves to the server (`weak_password`), and the repeat it never sees.
  const tooShort = [...next].length < MIN_LENGTH;
  const mismatch = next !== repeat;
  return (
    <section className="card" aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      <form
        className="stack"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          setTried(true);
          if (formIssue(changePasswordBody, body) || tooShort || mismatch) return;
          change.mutate();
        }}
      >
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          required
          error={issueFor(issue, 'currentPassword')}
        />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          required
          hint={`At least ${MIN_LENGTH} characters; a few words make a good one.`}
          error={issueFor(issue, 'newPassword') ?? (tried && tooShort ? `Use at least ${MIN_LENGTH} characters.` : undefined)}
        />
        <TextField
          label="New password again"
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          required
          error={tried && mismatch ? 'The two new passwords differ.' : undefined}
        />
        <ErrorMessage error={change.error} />
        {change.isSuccess && (
          <p className="notice notice-ok" role="status">
            Password changed. You stay signed in here; every other sign-in of this account has ended.
          </p>
        )}
        <div className="row">
          <Button type="submit" variant="primary" busy={change.isPending}>
            Change password
          </Button>
        </div>
      </form>
    </section>
  );
}
