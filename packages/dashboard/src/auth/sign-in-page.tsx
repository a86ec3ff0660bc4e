import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../api/api-client.js';
import { TextField } from '../ui/text-field.js';
import { AuthForm } from './auth-form.js';
import { AuthLayout } from './auth-layout.js';
import { useResetSession } from './use-session.js';

/** Sign in with email and password; back to the page that asked for it. */
export function SignInPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const resetSession = useResetSession();
  const signIn = useMutation({
    mutationFn: () => api('/auth/login', { body: { email, password } }),
    onSuccess: async () => {
      await resetSession();
      const next = params.get('next');
      // Only a path of this app: never an open redirect.
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    },
  });
  return (
    <AuthLayout
      title="Sign in to Lumio"
      intro={params.get('joined') ? 'Your account is ready and you have joined the workspace: sign in to open it.' : undefined}
    >
      <AuthForm
        action={signIn}
        submitLabel="Sign in"
        footer={
          <p className="muted small">
            Forgot your password? Someone who outranks you in each of your workspaces can send you a reset link; otherwise (and for an
            owner) the server operator runs <code>npx lumio accounts reset-password</code>. <Link to="/setup">First time here?</Link>
          </p>
        }
      >
        <TextField label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </AuthForm>
    </AuthLayout>
  );
}
