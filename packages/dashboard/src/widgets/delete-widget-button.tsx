import type { WidgetView } from '@lumio/protocol';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api/api-client.js';
import { Button } from '../ui/button.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { widgetPath, widgetsKey } from './widget-queries.js';

/** "Delete widget" (owners and admins), confirmed first: it removes the widget, its secrets and identity log. */
export function DeleteWidgetButton({ widget }: { widget: WidgetView }) {
  const [open, setOpen] = useState(false);
  const client = useQueryClient();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () => api<void>(widgetPath(widget.workspaceId, widget.id), { method: 'DELETE' }),
    onSuccess: async () => {
      setOpen(false);
      navigate(`/w/${widget.workspaceId}/widgets`, { replace: true });
      client.removeQueries({ queryKey: [...widgetsKey(widget.workspaceId), widget.id] });
      await client.invalidateQueries({ queryKey: widgetsKey(widget.workspaceId) });
    },
  });
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Delete widget
      </Button>
      <ConfirmDialog
        open={open}
        onClose={() => setOpen(false)}
        title={`Delete “${widget.name}”?`}
        description="The widget stops loading on every page that has its snippet, and its signing secrets and identity log are deleted. This cannot be undone."
        confirmLabel="Delete widget"
        onConfirm={() => remove.mutate()}
        mutation={remove}
      />
    </>
  );
}
