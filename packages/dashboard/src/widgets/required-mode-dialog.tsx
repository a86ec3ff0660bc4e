import type { IdentityStats, WidgetView } from '@lumio/protocol';
import * as AlertDialog from '@radix-ui/react-alert-dialog';
import { useQueries } from '@tanstack/react-query';
import { DataTable } from '../ui/data-table.js';
import { ErrorMessage } from '../ui/error-message.js';
import { countOf, formatCount } from '../ui/format.js';
import { useReturnFocus } from '../ui/use-return-focus.js';
import { widgetQueries } from './widget-queries.js';

const WINDOWS = [
  [24, 'Last 24 hours'],
  [24 * 7, 'Last 7 days'],
] as const;

/**
 * Confirms switching a widget to `required`: reads its identity stats for the
 * last 24 hours and 7 days first, and says how many recent identifies were
 * unsigned or failed — the traffic that `required` refuses.
 */
export function RequiredModeDialog({
  widget,
  open,
  onOpenChange,
  onConfirm,
  saving,
  error,
}: {
  widget: WidgetView;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onConfirm: () => void;
  saving: boolean;
  error: unknown;
}) {
  const stats = useQueries({
    queries: WINDOWS.map(([hours]) => ({
      ...widgetQueries.stats(widget.workspaceId, widget.id, hours),
      enabled: open,
      // Fresh numbers for a decision, not what was cached minutes ago.
      staleTime: 0,
    })),
  });
  const loading = stats.some((s) => s.isPending);
  const failure = stats.find((s) => s.isError)?.error;
  const refused = (s: IdentityStats | undefined) => (s ? s.total.identified + s.total.failed : 0);
  const atRisk = stats.some((s) => refused(s.data) > 0);
  const returnFocus = useReturnFocus();
  return (
    <AlertDialog.Root open={open} onOpenChange={onOpenChange}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content className="dialog" {...returnFocus}>
          <AlertDialog.Title>Require a signature for every identify?</AlertDialog.Title>
          <AlertDialog.Description className="muted">
            With <strong>required</strong>, an identify without a valid signature is refused and the visitor stays anonymous. Unsigned
            identifies are allowed today (flagged unverified); they will stop working.
          </AlertDialog.Description>
          {loading && !failure ? (
            <p role="status" className="muted">
              Reading recent identity traffic…
            </p>
          ) : failure ? (
            <ErrorMessage error={failure} />
          ) : (
            <div className="stack">
              <div className={atRisk ? 'notice notice-warning' : 'notice notice-ok'} role="status">
                {atRisk ? (
                  <>
                    <strong>Warning: recent traffic would be refused.</strong> {describeRisk(stats[0]?.data, 'the last 24 hours')}{' '}
                    {describeRisk(stats[1]?.data, 'the last 7 days')}
                  </>
                ) : (
                  <strong>No unsigned or failed identifies recently: nothing seen lately would be refused.</strong>
                )}
              </div>
              <DataTable
                rows={WINDOWS}
                rowKey={([hours]) => hours}
                caption="Recent identifies by outcome"
                columns={[
                  { header: 'Period', rowHeader: true, cell: ([, label]) => label },
                  { header: 'Verified', cell: (_, i) => formatCount(stats[i]?.data?.total.verified ?? 0) },
                  { header: 'Unsigned (would be refused)', cell: (_, i) => formatCount(stats[i]?.data?.total.identified ?? 0) },
                  { header: 'Failed (refused either way)', cell: (_, i) => formatCount(stats[i]?.data?.total.failed ?? 0) },
                ]}
              />
              {atRisk && (
                <p className="small">
                  Deploy server-side signing for every identify (see Signing code) and check Identity health until unsigned and failed
                  identifies reach zero before switching.
                </p>
              )}
            </div>
          )}
          <ErrorMessage error={error} />
          <div className="dialog-actions">
            <AlertDialog.Cancel className="button button-secondary">Keep optional</AlertDialog.Cancel>
            <button
              type="button"
              className={atRisk ? 'button button-danger' : 'button button-primary'}
              disabled={loading || saving}
              aria-busy={saving || undefined}
              onClick={(event) => {
                // Stays open until the save answers; the form closes it on success.
                event.preventDefault();
                onConfirm();
              }}
            >
              {atRisk ? 'Require signatures anyway' : 'Require signatures'}
            </button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}

function describeRisk(stats: IdentityStats | undefined, period: string): string {
  const unsigned = stats?.total.identified ?? 0;
  const failed = stats?.total.failed ?? 0;
  const identifies = (n: number) => countOf(n, { one: 'identify', other: 'identifies' });
  return `In ${period}: ${identifies(unsigned)} without a signature (these would be refused) and ${identifies(failed)} failed.`;
}
