import type { SecretsAnswer, SecretView, WidgetView } from '@lumio/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/api-client.js';
import { actionColumn } from '../ui/action-column.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { DataTable } from '../ui/data-table.js';
import { formatTime } from '../ui/format.js';
import { QueryState } from '../ui/query-state.js';
import { RevealSecretDialog } from './reveal-secret-dialog.js';
import { RotateSecretDialog } from './rotate-secret-dialog.js';
import { SecretStateBadge } from './secret-state-badge.js';
import { widgetPath, widgetQueries } from './widget-queries.js';

/** The widget's signing secrets (owners and admins): list, reveal with the password, rotate with a grace period, revoke. */
export function SigningSecretsPanel({ widget }: { widget: WidgetView }) {
  const secrets = useQuery(widgetQueries.secrets(widget.workspaceId, widget.id));
  const [revoking, setRevoking] = useState<SecretView | null>(null);
  const client = useQueryClient();
  const revoke = useMutation({
    mutationFn: (keyId: string) =>
      api<SecretsAnswer>(`${widgetPath(widget.workspaceId, widget.id)}/secrets/${encodeURIComponent(keyId)}/revoke`, {
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
            <DataTable
              rows={list}
              rowKey={(s) => s.keyId}
              caption={`Signing secrets of ${widget.name}`}
              columns={[
                { header: 'Key id', cell: (s) => <code>{s.keyId}</code> },
                { header: 'Status', cell: (s) => <SecretStateBadge secret={s} /> },
                { header: 'Created', cell: (s) => formatTime(s.createdAt) },
                { header: 'Last used', cell: (s) => formatTime(s.lastUsedAt) },
                {
                  header: 'Expires',
                  cell: (s) => (s.state === 'revoked' ? `revoked ${formatTime(s.revokedAt)}` : formatTime(s.expiresAt)),
                },
                actionColumn<SecretView>({
                  label: 'Revoke',
                  name: (s) => `Revoke secret ${s.keyId}`,
                  onClick: setRevoking,
                  when: (s) => s.state === 'current' || s.state === 'grace',
                }),
              ]}
            />
          </>
        )}
      </QueryState>
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke secret ${revoking?.keyId ?? ''}?`}
        description={
          revoking?.state === 'current' && verifying.length === 1
            ? 'It stops verifying at once and it is the only secret that verifies: every signed identify fails until you rotate and deploy a new secret. Sessions verified with it end within minutes.'
            : 'It stops verifying at once; servers still signing with it get failed identifies. Sessions verified with it end within minutes.'
        }
        confirmLabel="Revoke secret"
        onConfirm={() => revoking && revoke.mutate(revoking.keyId)}
        mutation={revoke}
      />
    </section>
  );
}
