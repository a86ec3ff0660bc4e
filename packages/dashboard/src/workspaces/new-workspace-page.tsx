import type { WorkspaceView } from '@lumio/protocol';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/api-client.js';
import { AuthForm } from '../auth/auth-form.js';
import { AuthLayout } from '../auth/auth-layout.js';
import { useResetSession } from '../auth/use-session.js';
import { TextField } from '../ui/text-field.js';

/** A new workspace, owned by the signed-in account. */
export function NewWorkspacePage() {
  const [name, setName] = useState('');
  const navigate = useNavigate();
  const resetSession = useResetSession();
  const create = useMutation({
    mutationFn: () => api<WorkspaceView>('/workspaces', { body: { name } }),
    onSuccess: async (workspace) => {
      await resetSession();
      navigate(`/w/${workspace.id}/widgets`);
    },
  });
  return (
    <AuthLayout title="New workspace" intro="A workspace holds its own widgets, team, content, users and analytics.">
      <AuthForm action={create} submitLabel="Create workspace">
        <TextField label="Workspace name" required value={name} onChange={(e) => setName(e.target.value)} />
      </AuthForm>
    </AuthLayout>
  );
}
