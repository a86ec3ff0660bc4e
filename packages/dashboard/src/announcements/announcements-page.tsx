import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/api-client.js';
import { Button } from '../ui/button.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { ErrorMessage } from '../ui/error-message.js';
import { formatCount, formatPercent, formatTime } from '../ui/format.js';
import { PageHeader } from '../ui/page-header.js';
import { QueryState } from '../ui/query-state.js';
import { SelectField } from '../ui/select-field.js';
import { canManage, useWorkspace } from '../workspaces/use-workspace.js';
import {
  announcementsKey,
  KIND_LABELS,
  type AnnouncementStats,
  type AnnouncementStatus,
  type AnnouncementView,
} from './announcement-api.js';
import { AnnouncementStatusBadge } from './announcement-status-badge.js';
import './announcements.css';

const STATUS_FILTERS = [
  ['', 'All statuses'],
  ['draft', 'Draft'],
  ['scheduled', 'Scheduled'],
  ['live', 'Live'],
  ['ended', 'Ended'],
] as const;

const NO_STATS: AnnouncementStats = { seen: 0, clicked: 0, dismissed: 0 };

/** The workspace's announcements with their status, where they appear, who they are for and their key numbers. */
export function AnnouncementsPage() {
  const workspace = useWorkspace();
  const [status, setStatus] = useState<AnnouncementStatus | ''>('');
  const [deleting, setDeleting] = useState<AnnouncementView | null>(null);
  const client = useQueryClient();
  const list = useQuery({
    queryKey: [...announcementsKey(workspace.id), 'list', status],
    queryFn: async () =>
      (
        await api<{ announcements: AnnouncementView[] }>(
          `/workspaces/${workspace.id}/announcements${status ? `?status=${encodeURIComponent(status)}` : ''}`,
        )
      ).announcements,
  });
  // Every row's numbers in one request (not one per row).
  const stats = useQuery({
    queryKey: [...announcementsKey(workspace.id), 'stats'],
    queryFn: async () => (await api<{ stats: Record<string, AnnouncementStats> }>(`/workspaces/${workspace.id}/announcements/stats`)).stats,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api(`/workspaces/${workspace.id}/announcements/${id}`, { method: 'DELETE' }),
    onSuccess: async () => {
      setDeleting(null);
      await client.invalidateQueries({ queryKey: announcementsKey(workspace.id) });
    },
  });
  const mayDelete = canManage(workspace.role);
  return (
    <>
      <PageHeader
        title="Announcements"
        description="Popups, banners and feed posts shown in the widget to the users you choose."
        actions={
          <Link className="button button-primary" to={`/w/${workspace.id}/announcements/new`}>
            New announcement
          </Link>
        }
      />
      <div className="row announcements-filters">
        <SelectField
          label="Status"
          value={status}
          onChange={(e) => setStatus(e.target.value as AnnouncementStatus | '')}
          options={STATUS_FILTERS}
        />
      </div>
      {stats.isError && <ErrorMessage error={stats.error} />}
      <QueryState query={list}>
        {(announcements) =>
          announcements.length === 0 ? (
            <div className="card">
              <p>{status ? 'No announcements with this status.' : 'No announcements yet.'}</p>
              {!status && <Link to={`/w/${workspace.id}/announcements/new`}>Write the first announcement</Link>}
            </div>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Title</th>
                    <th scope="col">Status</th>
                    <th scope="col">Appears as</th>
                    <th scope="col">Audience</th>
                    <th scope="col">Schedule</th>
                    <th scope="col" className="numeric">
                      Shown
                    </th>
                    <th scope="col" className="numeric">
                      Clicked
                    </th>
                    <th scope="col" className="numeric">
                      Dismissed
                    </th>
                    {mayDelete && (
                      <th scope="col">
                        <span className="sr-only">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {announcements.map((a) => {
                    const numbers = stats.data?.[a.id] ?? NO_STATS;
                    return (
                      <tr key={a.id}>
                        <td>
                          <Link to={`/w/${workspace.id}/announcements/${a.id}`}>{a.title}</Link>
                        </td>
                        <td>
                          <AnnouncementStatusBadge status={a.status} />
                        </td>
                        <td>{KIND_LABELS[a.kind]}</td>
                        <td className="small">{a.audienceSummary}</td>
                        <td className="small">
                          {a.startsAt === null && a.endsAt === null ? (
                            <span className="muted">No schedule</span>
                          ) : (
                            <>
                              {a.startsAt !== null && <div>From {formatTime(a.startsAt)}</div>}
                              {a.endsAt !== null && <div>Until {formatTime(a.endsAt)}</div>}
                            </>
                          )}
                        </td>
                        {stats.data ? (
                          <>
                            <td className="numeric">{formatCount(numbers.seen)}</td>
                            <td className="numeric">
                              {formatCount(numbers.clicked)}
                              <div className="muted small">{formatPercent(numbers.clicked, numbers.seen)}</div>
                            </td>
                            <td className="numeric">
                              {formatCount(numbers.dismissed)}
                              <div className="muted small">{formatPercent(numbers.dismissed, numbers.seen)}</div>
                            </td>
                          </>
                        ) : (
                          <td colSpan={3} className="muted small">
                            {stats.isPending ? 'Loading…' : 'Not available'}
                          </td>
                        )}
                        {mayDelete && (
                          <td>
                            <Button variant="ghost" onClick={() => setDeleting(a)} aria-label={`Delete announcement ${a.title}`}>
                              Delete
                            </Button>
                          </td>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryState>
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => {
          if (!open) {
            setDeleting(null);
            remove.reset();
          }
        }}
        title={`Delete “${deleting?.title ?? ''}”?`}
        description="It disappears from the widget at once, with its numbers and what each viewer saw or dismissed. This cannot be undone."
        confirmLabel="Delete announcement"
        busy={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
      >
        <ErrorMessage error={remove.error} />
      </ConfirmDialog>
    </>
  );
}
