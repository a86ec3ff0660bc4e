import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/api-client.js';
import type { WorkspaceView } from '../api/api-types.js';
import { AuthLayout } from '../auth/auth-layout.js';
import { useResetSession } from '../auth/use-session.js';
import { Button } from '../ui/button.js';
import { ErrorMessage } from '../ui/error-message.js';
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
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <AuthLayout title="New workspace" intro="A workspace holds its own widgets, team, content, users and analytics.">
      <form onSubmit={submit} className="stack">
        <TextField label="Workspace name" required value={name} onChange={(e) => setName(e.target.value)} />
        <ErrorMessage error={create.error} />
        <Button type="submit" variant="primary" busy={create.isPending}>
          Create workspace
        </Button>
      </form>
    </AuthLayout>
  );
}
