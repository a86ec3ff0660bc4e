import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/api-client.js';
import { Button } from '../ui/button.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { ErrorMessage } from '../ui/error-message.js';
import { formatTime } from '../ui/format.js';
import { QueryState } from '../ui/query-state.js';
import { RevealSecretDialog } from './reveal-secret-dialog.js';
import { RotateSecretDialog } from './rotate-secret-dialog.js';
import { SecretStateBadge } from './secret-state-badge.js';
import { widgetPath, widgetQueries } from './widget-queries.js';
import type { SecretView, WidgetView } from './widget-types.js';

/** The widget's signing secrets (owners and admins): list, reveal with the password, rotate with a grace period, revoke. */
export function SigningSecretsPanel({ widget }: { widget: WidgetView }) {
  const secrets = useQuery(widgetQueries.secrets(widget.workspaceId, widget.id));
  const [revoking, setRevoking] = useState<SecretView | null>(null);
  const client = useQueryClient();
  const revoke = useMutation({
    mutationFn: (keyId: string) =>
      api<{ secrets: SecretView[] }>(`${widgetPath(widget.workspaceId, widget.id)}/secrets/${encodeURIComponent(keyId)}/revoke`, {
        method: 'POST',
        body: {},
      }),
    onSuccess: ({ secrets: list }) => {
      client.setQueryData(widgetQueries.secrets(widget.workspaceId, widget.id).queryKey, list);
      setRevoking(null);
    },
  });
  const verifying = (secrets.data ?? []).filter((s) => s.state === 'current' || s.state === 'grace');
  return (
    <section className="card stack widget-panel">
      <div className="row widget-section-header">
        <h2>Signing secrets</h2>
        <div className="row">
          <RevealSecretDialog widget={widget} disabled={verifying.length === 0} />
          <RotateSecretDialog widget={widget} />
        </div>
      </div>
      <p className="small muted">
        Your server signs user ids with the secret in use. Rotating makes a new one; the old one keeps verifying during the grace period so
        you can deploy the new one without failed identifies. Every reveal, rotation and revocation is recorded in the audit log.
      </p>
      <QueryState query={secrets} loading="Loading signing secrets…">
        {(list) => (
          <>
            {verifying.length === 0 && (
              <p className="notice notice-warning" role="status">
                No secret verifies signatures: every signed identify fails. Rotate to make a new secret.
              </p>
            )}
            <div className="table-wrap">
              <table>
                <caption className="sr-only">Signing secrets of {widget.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Key id</th>
                    <th scope="col">Status</th>
                    <th scope="col">Created</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Expires</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((s) => (
                    <tr key={s.keyId}>
                      <td>
                        <code>{s.keyId}</code>
                      </td>
                      <td>
                        <SecretStateBadge secret={s} />
                      </td>
                      <td>{formatTime(s.createdAt)}</td>
                      <td>{formatTime(s.lastUsedAt)}</td>
                      <td>{s.state === 'revoked' ? `revoked ${formatTime(s.revokedAt)}` : formatTime(s.expiresAt)}</td>
                      <td>
                        {(s.state === 'current' || s.state === 'grace') && (
                          <Button variant="ghost" onClick={() => setRevoking(s)} aria-label={`Revoke secret ${s.keyId}`}>
                            Revoke
                          </Button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </QueryState>
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(next) => {
          if (!next) {
            setRevoking(null);
            revoke.reset();
          }
        }}
        title={`Revoke secret ${revoking?.keyId ?? ''}?`}
        description={
          revoking?.state === 'current' && verifying.length === 1
            ? 'It stops verifying at once and it is the only secret that verifies: every signed identify fails until you rotate and deploy a new secret. Sessions verified with it end within minutes.'
            : 'It stops verifying at once; servers still signing with it get failed identifies. Sessions verified with it end within minutes.'
        }
        confirmLabel="Revoke secret"
        onConfirm={() => revoking && revoke.mutate(revoking.keyId)}
        busy={revoke.isPending}
      >
        <ErrorMessage error={revoke.error} />
      </ConfirmDialog>
    </section>
  );
}
