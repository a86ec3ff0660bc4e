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

/**
 * Accepting an invite: as the signed-in account, or by creating one, which
 * signs the new account in. An invite sent to an address carries it in the
 * link's #fragment: the email field is filled in and locked (the server
 * refuses another address anyway).
 */
export function InvitePage() {
  // Read before useHashToken clears the fragment.
  const [invitedEmail] = useState(() => new URLSearchParams(window.location.hash.slice(1)).get('email') ?? '');
  const token = useHashToken();
  const session = useSession();
  const [email, setEmail] = useState(invitedEmail);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const navigate = useNavigate();
  const resetSession = useResetSession();
  const signedIn = session.data ?? null;
  const accept = useMutation({
    mutationFn: () => api<AcceptedInvite>('/invites/accept', { body: signedIn ? { token } : { token, email, password, name } }),
    onSuccess: async (result) => {
      // A new account comes back signed in (the answer set its session cookie), like a signed-in one.
      await resetSession();
      navigate(`/w/${result.workspaceId}`, { replace: true });
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
            <TextField
              label="Email"
              type="email"
              autoComplete="email"
              required
              readOnly={invitedEmail !== ''}
              hint={invitedEmail ? 'The invite was sent to this address; your account uses it.' : undefined}
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
            <TextField label="Your name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
            <NewPasswordField label="Password" value={password} onChange={setPassword} />
          </>
        )}
      </AuthForm>
    </AuthLayout>
  );
}
