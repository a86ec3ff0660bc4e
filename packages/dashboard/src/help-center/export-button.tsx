import type { HelpCenterExport } from '@lumio/protocol';
import { useMutation } from '@tanstack/react-query';
import { api } from '../api/api-client.js';
import { Button } from '../ui/button.js';
import { ErrorMessage } from '../ui/error-message.js';
import { helpPath } from './help-center-queries.js';

/**
 * Downloads the export route's answer: every collection and article as
 * Markdown files with front matter, in one JSON file the import reads back.
 */
export function ExportButton({ workspaceId, workspaceName }: { workspaceId: string; workspaceName: string }) {
  const download = useMutation({
    mutationFn: async () => {
      const answer = await api<HelpCenterExport>(`${helpPath(workspaceId)}/export`);
      const blob = new Blob([JSON.stringify(answer, null, 2)], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `${workspaceName.replace(/[^\p{L}\p{N}]+/gu, '-').toLowerCase() || 'help'}-help-center.json`;
      link.click();
      // The click has started the download; the URL can go after this turn.
      setTimeout(() => URL.revokeObjectURL(url), 0);
      return answer.files.length;
    },
  });
  return (
    <>
      <Button onClick={() => download.mutate()} busy={download.isPending}>
        Export
      </Button>
      {download.isError && <ErrorMessage error={download.error} />}
      {download.isSuccess && (
        <span role="status" className="sr-only">
          Exported {download.data} files.
        </span>
      )}
    </>
  );
}
