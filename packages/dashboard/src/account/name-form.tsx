import { accountNameBody, type AccountNameBody } from '@lumio/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api/api-client.js';
import { formIssue, issueFor } from '../api/form-issue.js';
import { SESSION_KEY } from '../auth/use-session.js';
import { Button } from '../ui/button.js';
import { ErrorMessage } from '../ui/error-message.js';
import { TextField } from '../ui/text-field.js';

/** Changes the account's name (`PATCH /auth/me`), as teammates see it in the team list and audit log. */
export function NameForm({ current }: { current: string }) {
  const client = useQueryClient();
  const [name, setName] = useState(current);
  const body: AccountNameBody = { name: name.trim() };
  const save = useMutation({
    mutationFn: () => api('/auth/me', { method: 'PATCH', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: SESSION_KEY }),
  });
  const issue = formIssue(accountNameBody, body);
  return (
    <section className="card" aria-labelledby="name-heading">
      <h2 id="name-heading">Name</h2>
      <form
        className="stack"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          if (!issue) save.mutate();
        }}
      >
        <TextField
          label="Your name"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            save.reset();
          }}
          maxLength={255}
          autoComplete="name"
          required
          error={issueFor(issue, 'name')}
        />
        <ErrorMessage error={save.error} />
        {save.isSuccess && (
          <p className="notice notice-ok" role="status">
            Name saved.
          </p>
        )}
        <div className="row">
          <Button type="submit" variant="primary" busy={save.isPending} disabled={issue !== null || name.trim() === current}>
            Save name
          </Button>
        </div>
      </form>
    </section>
  );
}
