import type { SetupAnswer, SetupStatus } from '@lumio/protocol';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api/api-client.js';
import { TextField } from '../ui/text-field.js';
import { AuthForm } from './auth-form.js';
import { AuthLayout } from './auth-layout.js';
import { NewPasswordField } from './new-password-field.js';
import { useHashToken } from './use-hash-token.js';
import { useResetSession } from './use-session.js';

/** First run: the owner account and the first workspace, with the setup token `lumio start` printed. */
export function SetupPage() {
  const hashToken = useHashToken();
  const [token, setToken] = useState(hashToken);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [workspaceName, setWorkspaceName] = useState('');
  const navigate = useNavigate();
  const resetSession = useResetSession();
  const pending = useQuery({ queryKey: ['setup'], queryFn: () => api<SetupStatus>('/setup') });
  const setup = useMutation({
    mutationFn: () =>
      api<SetupAnswer>('/setup', {
        body: { token: token.trim(), email, password, workspaceName, ...(name ? { name } : {}) },
      }),
    onSuccess: async ({ workspace }) => {
      await resetSession();
      navigate(`/w/${workspace.id}/widgets?welcome=1`, { replace: true });
    },
  });
  if (pending.data && !pending.data.needed)
    return (
      <AuthLayout title="Lumio is set up" intro="This server has its owner already.">
        <Link className="button button-primary" to="/sign-in">
          Sign in
        </Link>
      </AuthLayout>
    );
  return (
    <AuthLayout title="Set up Lumio" intro="Create the owner account and your first workspace. You can invite your team afterwards.">
      <AuthForm action={setup} submitLabel="Create owner and workspace">
        {!hashToken && (
          <TextField
            label="Setup token"
            hint="Printed by lumio start (lsu_…). It works once."
            required
            value={token}
            onChange={(e) => setToken(e.target.value)}
            autoComplete="off"
          />
        )}
        <TextField label="Your email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        <TextField label="Your name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
        <NewPasswordField label="Password" value={password} onChange={setPassword} />
        <TextField
          label="Workspace name"
          hint="Usually your company or product."
          required
          value={workspaceName}
          onChange={(e) => setWorkspaceName(e.target.value)}
        />
      </AuthForm>
    </AuthLayout>
  );
}
