import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/api-client.js';
import { Button } from '../ui/button.js';
import { ErrorMessage } from '../ui/error-message.js';
import { TextField } from '../ui/text-field.js';
import { AuthLayout } from './auth-layout.js';
import { useHashToken } from './use-hash-token.js';
import { useResetSession } from './use-session.js';

/** A new password from a reset link; every other sign-in of the account ends. */
export function ResetPasswordPage() {
  const token = useHashToken();
  const [password, setPassword] = useState('');
  const navigate = useNavigate();
  const resetSession = useResetSession();
  const reset = useMutation({
    mutationFn: () => api('/auth/password-reset', { body: { token, password } }),
    onSuccess: async () => {
      await resetSession();
      navigate('/', { replace: true });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    reset.mutate();
  };
  if (!token) return <AuthLayout title="Choose a new password" intro="This page needs the reset link you were given; open it again." />;
  return (
    <AuthLayout title="Choose a new password" intro="The link works once. Every other sign-in of your account ends.">
      <form onSubmit={submit} className="stack">
        <TextField
          label="New password"
          hint="At least 10 characters."
          type="password"
          autoComplete="new-password"
          minLength={10}
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <ErrorMessage error={reset.error} />
        <Button type="submit" variant="primary" busy={reset.isPending}>
          Set the password
        </Button>
      </form>
    </AuthLayout>
  );
}
