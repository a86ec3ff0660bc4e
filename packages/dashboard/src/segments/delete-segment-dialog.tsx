import type { SegmentView } from '@lumio/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/api-client.js';
import { ApiError } from '../api/api-error.js';
import { segmentsKey } from '../conditions/condition-api.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';

/** Asks before deleting a segment; says what still uses it when the server refuses (`segment_in_use`). */
export function DeleteSegmentDialog({
  workspaceId,
  segment,
  onClose,
  onDeleted,
}: {
  workspaceId: string;
  segment: Pick<SegmentView, 'id' | 'name'> | null;
  onClose: () => void;
  onDeleted?: () => void;
}) {
  const client = useQueryClient();
  const remove = useMutation({
    mutationFn: (id: string) => api(`/workspaces/${workspaceId}/segments/${id}`, { method: 'DELETE' }),
    onSuccess: (_answer, id) => {
      // Leave the deleted segment's page before the lists refetch, so it never shows its own 404.
      onClose();
      onDeleted?.();
      client.removeQueries({ queryKey: [...segmentsKey(workspaceId), id], exact: true });
      void client.invalidateQueries({ queryKey: segmentsKey(workspaceId) });
    },
  });
  const usedBy =
    remove.error instanceof ApiError && remove.error.code === 'segment_in_use'
      ? ((remove.error.details as { usedBy?: Array<{ type: string; id: string; name: string }> } | undefined)?.usedBy ?? [])
      : [];
  return (
    <ConfirmDialog
      open={segment !== null}
      onClose={onClose}
      title={`Delete segment “${segment?.name ?? ''}”?`}
      description="Conditions can no longer refer to it. This cannot be undone."
      confirmLabel="Delete segment"
      mutation={remove}
      onConfirm={() => segment && remove.mutate(segment.id)}
    >
      {usedBy.length > 0 && (
        <ul className="small">
          {usedBy.map((u) => (
            <li key={u.id}>
              {u.type === 'announcement' ? 'Announcement' : 'Segment'} “{u.name}”
            </li>
          ))}
        </ul>
      )}
    </ConfirmDialog>
  );
}
