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
    <AuthLayout title="Sign in to Lumio">
      <AuthForm
        action={signIn}
        submitLabel="Sign in"
        footer={
          <p className="muted small">
            <Link to="/forgot-password">Forgot password?</Link> <Link to="/setup">First time here?</Link>
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
