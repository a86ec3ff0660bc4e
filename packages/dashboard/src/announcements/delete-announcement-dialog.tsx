import type { AnnouncementView } from '@lumio/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/api-client.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { announcementsKey } from './announcement-api.js';

/** Asks before deleting an announcement (from the list or its editor); `onDeleted` runs once it is gone. */
export function DeleteAnnouncementDialog({
  workspaceId,
  announcement,
  onClose,
  onDeleted,
}: {
  workspaceId: string;
  announcement: Pick<AnnouncementView, 'id' | 'title'> | null;
  onClose: () => void;
  onDeleted?: () => void;
}) {
  const client = useQueryClient();
  const remove = useMutation({
    mutationFn: (id: string) => api(`/workspaces/${workspaceId}/announcements/${id}`, { method: 'DELETE' }),
    onSuccess: (_answer, id) => {
      // The editor leaves the deleted announcement's page before the lists refetch, so it never shows its own 404.
      onClose();
      onDeleted?.();
      client.removeQueries({ queryKey: [...announcementsKey(workspaceId), 'one', id] });
      void client.invalidateQueries({ queryKey: announcementsKey(workspaceId) });
    },
  });
  return (
    <ConfirmDialog
      open={announcement !== null}
      onClose={onClose}
      title={`Delete “${announcement?.title ?? ''}”?`}
      description="It disappears from the widget at once, with its numbers and what each viewer saw or dismissed. This cannot be undone."
      confirmLabel="Delete announcement"
      mutation={remove}
      onConfirm={() => announcement && remove.mutate(announcement.id)}
    />
  );
}
