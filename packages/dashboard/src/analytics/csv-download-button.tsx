import { useState } from 'react';
import type { ErrorBody } from '@lumio/protocol/browser';
import { apiUrl } from '../api/api-client.js';
import { ApiError } from '../api/api-error.js';
import { Button } from '../ui/button.js';
import { ErrorMessage } from '../ui/error-message.js';

/**
 * Downloads a report as CSV: reports are POSTs (their filters do not fit a
 * link), so the file is fetched and handed to the browser as a blob.
 */
export function CsvDownloadButton({
  workspaceId,
  report,
  body,
  label,
}: {
  workspaceId: string;
  report: string;
  body: object;
  label: string;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const response = await fetch(apiUrl(`/workspaces/${workspaceId}/analytics/reports/${report}`, { format: 'csv' }), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { accept: 'text/csv', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) {
        const answer = (await response.json().catch(() => undefined)) as Partial<ErrorBody> | undefined;
        throw new ApiError(
          response.status,
          answer?.error?.code ?? 'unexpected_answer',
          answer?.error?.message ?? `Lumio answered ${response.status}.`,
          answer?.error?.details,
          answer?.error?.requestId,
        );
      }
      const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `${report}.csv`;
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.click();
      // The click has started the download; the object URL is not needed after this turn.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="analytics-csv">
      <Button variant="ghost" busy={busy} onClick={download}>
        {label}
      </Button>
      {error ? <ErrorMessage error={error} /> : null}
    </div>
  );
}
