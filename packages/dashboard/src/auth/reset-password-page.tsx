import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/api-client.js';
import { AuthForm } from './auth-form.js';
import { AuthLayout } from './auth-layout.js';
import { NewPasswordField } from './new-password-field.js';
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
  if (!token) return <AuthLayout title="Choose a new password" intro="This page needs the reset link you were given; open it again." />;
  return (
    <AuthLayout title="Choose a new password" intro="The link works once. Every other sign-in of your account ends.">
      <AuthForm action={reset} submitLabel="Set the password">
        <NewPasswordField label="New password" value={password} onChange={setPassword} />
      </AuthForm>
    </AuthLayout>
  );
}
