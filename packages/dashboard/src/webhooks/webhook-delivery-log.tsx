import type { WebhookDeliveriesAnswer, WebhookDeliveryState, WebhookDeliveryView, WebhookEndpointView } from '@lumio/protocol';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/api-client.js';
import { Button } from '../ui/button.js';
import { CodeBlock } from '../ui/code-block.js';
import { DataTable } from '../ui/data-table.js';
import { Dialog, DialogActions, DialogClose } from '../ui/dialog.js';
import { ErrorMessage } from '../ui/error-message.js';
import { countOf, formatTime } from '../ui/format.js';
import { LoadMore } from '../ui/load-more.js';
import { SelectField } from '../ui/select-field.js';
import { useToast } from '../ui/use-toast.js';
import { webhookPath, webhooksKey } from './webhook-queries.js';

const PAGE_SIZE = 50;
const STATE_OPTIONS = [
  ['', 'All deliveries'],
  ['pending', 'Waiting to be sent'],
  ['succeeded', 'Delivered'],
  ['failed', 'Failed'],
] as const;

/** The log of what was sent to an endpoint, newest first: filter by state, read a payload, resend. */
export function WebhookDeliveryLog({ endpoint, workspaceId }: { endpoint: WebhookEndpointView; workspaceId: string }) {
  const [state, setState] = useState<WebhookDeliveryState | ''>('');
  const [shown, setShown] = useState<WebhookDeliveryView | null>(null);
  const client = useQueryClient();
  const toast = useToast();
  const key = [...webhooksKey(workspaceId), endpoint.id, 'deliveries', state];
  const deliveries = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) =>
      api<WebhookDeliveriesAnswer>(
        `${webhookPath(workspaceId, endpoint.id)}/deliveries?limit=${PAGE_SIZE}${state ? `&state=${state}` : ''}${pageParam ? `&cursor=${pageParam}` : ''}`,
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
  const resend = useMutation({
    mutationFn: (delivery: WebhookDeliveryView) =>
      api<WebhookDeliveryView>(`${webhookPath(workspaceId, endpoint.id)}/deliveries/${encodeURIComponent(delivery.id)}/resend`, {
        method: 'POST',
        body: {},
      }),
    onSuccess: async () => {
      toast('Queued to be sent again.');
      await client.invalidateQueries({ queryKey: [...webhooksKey(workspaceId), endpoint.id, 'deliveries'] });
    },
  });
  const rows = deliveries.data?.pages.flatMap((p) => p.deliveries) ?? [];
  const pageError = deliveries.isFetchNextPageError ? deliveries.error : null;
  return (
    <section className="card stack">
      <div className="row widget-section-header">
        <h2>Delivery log</h2>
        <Button onClick={() => void deliveries.refetch()} busy={deliveries.isRefetching && !deliveries.isFetchingNextPage}>
          Refresh
        </Button>
      </div>
      <p className="muted small">
        Each event is sent until the endpoint answers with a 2xx status, retried with growing pauses for a day, then marked failed. A resend
        sends the same event again, with the same event id.
      </p>
      <div className="webhook-log-filter">
        <SelectField
          label="Show"
          options={STATE_OPTIONS}
          value={state}
          onChange={(e) => setState(e.target.value as WebhookDeliveryState | '')}
        />
      </div>
      <ErrorMessage error={resend.error} />
      {deliveries.isPending ? (
        <p className="muted" role="status">
          Loading deliveries…
        </p>
      ) : deliveries.isError && !deliveries.data ? (
        <ErrorMessage error={deliveries.error} />
      ) : rows.length === 0 ? (
        <p className="muted" role="status">
          {state ? 'No deliveries in this state.' : 'Nothing sent to this endpoint yet. Deliveries show here as events happen.'}
        </p>
      ) : (
        <>
          <DataTable
            rows={rows}
            rowKey={(d) => d.id}
            label="Deliveries"
            columns={[
              {
                header: 'Event',
                rowHeader: true,
                cell: (d) => (
                  <>
                    <code>{d.eventType}</code>
                    <div className="muted small">{d.eventId}</div>
                  </>
                ),
              },
              { header: 'State', cell: (d) => <DeliveryStateBadge delivery={d} /> },
              { header: 'Attempts', cell: (d) => d.attempts },
              { header: 'Last answer', cell: (d) => <LastAnswer delivery={d} /> },
              { header: 'Created', cell: (d) => formatTime(d.createdAt) },
              {
                header: 'Actions',
                srOnlyHeader: true,
                cell: (d) => (
                  <div className="row">
                    <Button variant="ghost" onClick={() => setShown(d)} aria-label={`View payload of ${d.eventType} ${d.eventId}`}>
                      Payload
                    </Button>
                    <Button
                      variant="ghost"
                      onClick={() => resend.mutate(d)}
                      busy={resend.isPending && resend.variables?.id === d.id}
                      disabled={!endpoint.enabled}
                      aria-label={`Resend ${d.eventType} ${d.eventId}`}
                    >
                      Resend
                    </Button>
                  </div>
                ),
              },
            ]}
          />
          {!endpoint.enabled && <p className="muted small">The endpoint is disabled: enable it to resend.</p>}
          <ErrorMessage error={pageError} />
          <LoadMore
            pages={deliveries}
            label="Load older deliveries"
            shown={`${countOf(rows.length, { one: 'delivery', other: 'deliveries' })} shown`}
            end="That is the oldest delivery."
          />
        </>
      )}
      <Dialog
        open={shown !== null}
        onOpenChange={(open) => !open && setShown(null)}
        title={`Payload of ${shown?.eventType ?? 'the event'}`}
      >
        {shown && (
          <div className="stack webhook-payload">
            <p className="small muted">
              The exact JSON body sent to the endpoint (event id <code>{shown.eventId}</code>).
            </p>
            <CodeBlock code={JSON.stringify(shown.payload, null, 2)} label="Payload" copyLabel="Copy payload" />
            <DialogActions>
              <DialogClose asChild>
                <Button>Close</Button>
              </DialogClose>
            </DialogActions>
          </div>
        )}
      </Dialog>
    </section>
  );
}

function DeliveryStateBadge({ delivery }: { delivery: WebhookDeliveryView }) {
  switch (delivery.state) {
    case 'succeeded':
      return <span className="badge badge-ok">Delivered {formatTime(delivery.completedAt)}</span>;
    case 'failed':
      return <span className="badge badge-danger">Failed {formatTime(delivery.completedAt)}</span>;
    default:
      return (
        <span className="badge badge-warn">
          {delivery.attempts === 0 ? 'Waiting' : 'Retrying'}
          {delivery.nextAttemptAt !== null && <> — next try {formatTime(delivery.nextAttemptAt)}</>}
        </span>
      );
  }
}

function LastAnswer({ delivery }: { delivery: WebhookDeliveryView }) {
  if (delivery.lastAttemptAt === null) return <span className="muted">Not tried yet</span>;
  return (
    <>
      <div>{delivery.lastStatus !== null ? `HTTP ${delivery.lastStatus}` : 'No answer'}</div>
      {delivery.lastError && <div className="muted small webhook-error">{delivery.lastError}</div>}
      <div className="muted small">{formatTime(delivery.lastAttemptAt)}</div>
    </>
  );
}
