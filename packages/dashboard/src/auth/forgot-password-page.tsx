import type { ForgotPasswordAnswer } from '@lumio/protocol';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/api-client.js';
import { QueryState } from '../ui/query-state.js';
import { TextField } from '../ui/text-field.js';
import { AuthForm } from './auth-form.js';
import { AuthLayout } from './auth-layout.js';
import { useEmailStatus } from './use-email-status.js';

const BACK = (
  <p className="muted small">
    <Link to="/sign-in">Back to sign-in</Link>
  </p>
);

/**
 * "Forgot password?": asks for a reset link by email. The server answers the
 * same for every address, so the page says what happens if an account has it;
 * without email on this instance it says who can give a reset link instead.
 */
export function ForgotPasswordPage() {
  const status = useEmailStatus();
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const request = useMutation({
    mutationFn: () => api<ForgotPasswordAnswer>('/auth/forgot-password', { body: { email } }),
    onSuccess: () => setSentTo(email.trim()),
  });
  return (
    <AuthLayout title="Reset your password">
      <QueryState query={status}>
        {({ emailEnabled }) =>
          !emailEnabled ? (
            <>
              <p className="notice notice-warning" role="status">
                Email is not set up on this Lumio instance, so no reset link can be emailed. Ask an owner or admin of your workspace for a
                reset link (Team page, “Reset link”); an owner asks the server operator, who runs{' '}
                <code>npx lumio accounts reset-password</code>.
              </p>
              {BACK}
            </>
          ) : sentTo ? (
            <>
              <p className="notice notice-ok" role="status">
                If an account has the address {sentTo}, an email with a reset link is on its way. The link works once, within 30 minutes;
                asking again makes older links stop working. Nothing arrived? Check the spam folder, or ask an admin of your workspace.
              </p>
              {BACK}
            </>
          ) : (
            <AuthForm action={request} submitLabel="Email me a reset link" footer={BACK}>
              <TextField
                label="Email"
                type="email"
                autoComplete="email"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            </AuthForm>
          )
        }
      </QueryState>
    </AuthLayout>
  );
}
