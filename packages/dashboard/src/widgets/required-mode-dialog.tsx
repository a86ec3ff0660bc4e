import * as AlertDialog from '@radix-ui/react-alert-dialog';
import { useQueries } from '@tanstack/react-query';
import { ErrorMessage } from '../ui/error-message.js';
import { formatCount } from '../ui/format.js';
import { widgetQueries } from './widget-queries.js';
import type { IdentityStats, WidgetView } from './widget-types.js';

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
  return (
    <AlertDialog.Root open={open} onOpenChange={onOpenChange}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content className="dialog">
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
              <div className="table-wrap">
                <table>
                  <caption className="sr-only">Recent identifies by outcome</caption>
                  <thead>
                    <tr>
                      <th scope="col">Period</th>
                      <th scope="col">Verified</th>
                      <th scope="col">Unsigned (would be refused)</th>
                      <th scope="col">Failed (refused either way)</th>
                    </tr>
                  </thead>
                  <tbody>
                    {WINDOWS.map(([hours, label], i) => {
                      const total = stats[i]?.data?.total;
                      return (
                        <tr key={hours}>
                          <th scope="row">{label}</th>
                          <td>{formatCount(total?.verified ?? 0)}</td>
                          <td>{formatCount(total?.identified ?? 0)}</td>
                          <td>{formatCount(total?.failed ?? 0)}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
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
  const identifies = (n: number) => `${formatCount(n)} ${n === 1 ? 'identify' : 'identifies'}`;
  return `In ${period}: ${identifies(unsigned)} without a signature (these would be refused) and ${identifies(failed)} failed.`;
}
