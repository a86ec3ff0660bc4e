import type { AcceptedInvite } from '@lumio/protocol';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/api-client.js';
import { TextField } from '../ui/text-field.js';
import { AuthForm } from './auth-form.js';
import { AuthLayout } from './auth-layout.js';
import { NewPasswordField } from './new-password-field.js';
import { useHashToken } from './use-hash-token.js';
import { useResetSession, useSession } from './use-session.js';

/** Accepting an invite: as the signed-in account, or by creating one. */
export function InvitePage() {
  const token = useHashToken();
  const session = useSession();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const navigate = useNavigate();
  const resetSession = useResetSession();
  const signedIn = session.data ?? null;
  const accept = useMutation({
    mutationFn: () => api<AcceptedInvite>('/invites/accept', { body: signedIn ? { token } : { token, email, password, name } }),
    onSuccess: async (result) => {
      const next = `/w/${result.workspaceId}`;
      if (signedIn) {
        await resetSession();
        navigate(next, { replace: true });
      } else {
        // Accepting makes the account; signing in is its own step (the password just chosen).
        navigate(`/sign-in?joined=1&next=${encodeURIComponent(next)}`, { replace: true });
      }
    },
  });
  if (!token)
    return <AuthLayout title="Join a workspace" intro="This page needs the invite link you were sent; open it again from the message." />;
  return (
    <AuthLayout
      title="Join a Lumio workspace"
      intro={signedIn ? `Accept the invite as ${signedIn.account.email}.` : 'Create your account to accept the invite.'}
    >
      <AuthForm action={accept} submitLabel="Accept the invite">
        {!signedIn && (
          <>
            <TextField label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
            <TextField label="Your name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
            <NewPasswordField label="Password" value={password} onChange={setPassword} />
          </>
        )}
      </AuthForm>
    </AuthLayout>
  );
}
