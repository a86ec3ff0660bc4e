import type {
  AnnouncementStats,
  AnnouncementStatsAnswer,
  AnnouncementStatus,
  AnnouncementView,
  AnnouncementViewsAnswer,
} from '@lumio/protocol';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api/api-client.js';
import { actionColumn } from '../ui/action-column.js';
import { DataTable, type DataColumn } from '../ui/data-table.js';
import { ErrorMessage } from '../ui/error-message.js';
import { formatCount, formatPercent, formatTime } from '../ui/format.js';
import { PageHeader } from '../ui/page-header.js';
import { QueryState } from '../ui/query-state.js';
import { SelectField } from '../ui/select-field.js';
import { canManage, useWorkspace } from '../workspaces/use-workspace.js';
import { announcementsKey, KIND_LABELS } from './announcement-api.js';
import { AnnouncementStatusBadge } from './announcement-status-badge.js';
import { DeleteAnnouncementDialog } from './delete-announcement-dialog.js';
import './announcements.css';

const STATUS_FILTERS = [
  ['', 'All statuses'],
  ['draft', 'Draft'],
  ['scheduled', 'Scheduled'],
  ['live', 'Live'],
  ['ended', 'Ended'],
] as const;

const NO_STATS: AnnouncementStats = { seen: 0, clicked: 0, dismissed: 0 };
const NUMERIC = { headerClassName: 'numeric', cellClassName: 'numeric' };

/** The workspace's announcements with their status, where they appear, who they are for and their key numbers. */
export function AnnouncementsPage() {
  const workspace = useWorkspace();
  const [status, setStatus] = useState<AnnouncementStatus | ''>('');
  const [deleting, setDeleting] = useState<AnnouncementView | null>(null);
  const list = useQuery({
    queryKey: [...announcementsKey(workspace.id), 'list', status],
    queryFn: async () =>
      (
        await api<AnnouncementViewsAnswer>(
          `/workspaces/${workspace.id}/announcements${status ? `?status=${encodeURIComponent(status)}` : ''}`,
        )
      ).announcements,
  });
  // Every row's numbers in one request (not one per row).
  const stats = useQuery({
    queryKey: [...announcementsKey(workspace.id), 'stats'],
    queryFn: async () => (await api<AnnouncementStatsAnswer>(`/workspaces/${workspace.id}/announcements/stats`)).stats,
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
            <DataTable
              rows={announcements}
              rowKey={(a) => a.id}
              columns={[
                { header: 'Title', cell: (a) => <Link to={`/w/${workspace.id}/announcements/${a.id}`}>{a.title}</Link> },
                { header: 'Status', cell: (a) => <AnnouncementStatusBadge status={a.status} /> },
                { header: 'Appears as', cell: (a) => KIND_LABELS[a.kind] },
                { header: 'Audience', cellClassName: 'small', cell: (a) => a.audienceSummary },
                {
                  header: 'Schedule',
                  cellClassName: 'small',
                  cell: (a) =>
                    a.startsAt === null && a.endsAt === null ? (
                      <span className="muted">No schedule</span>
                    ) : (
                      <>
                        {a.startsAt !== null && <div>From {formatTime(a.startsAt)}</div>}
                        {a.endsAt !== null && <div>Until {formatTime(a.endsAt)}</div>}
                      </>
                    ),
                },
                ...statsColumns(stats),
                ...(mayDelete
                  ? [
                      actionColumn<AnnouncementView>({
                        label: 'Delete',
                        name: (a) => `Delete announcement ${a.title}`,
                        onClick: setDeleting,
                      }),
                    ]
                  : []),
              ]}
            />
          )
        }
      </QueryState>
      <DeleteAnnouncementDialog workspaceId={workspace.id} announcement={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}

/** The list's figures, from one request for every row; until it answers (or if it fails) one note spans their three columns. */
function statsColumns(stats: { data?: Record<string, AnnouncementStats>; isPending: boolean }): Array<DataColumn<AnnouncementView>> {
  const all = stats.data;
  if (!all)
    return [
      {
        header: 'Shown',
        headerClassName: 'numeric',
        cellClassName: 'muted small',
        colSpan: 3,
        cell: () => (stats.isPending ? 'Loading…' : 'Not available'),
      },
      { header: 'Clicked', headerClassName: 'numeric' },
      { header: 'Dismissed', headerClassName: 'numeric' },
    ];
  const numbers = (a: AnnouncementView) => all[a.id] ?? NO_STATS;
  const share = (part: 'clicked' | 'dismissed') => (a: AnnouncementView) => (
    <>
      {formatCount(numbers(a)[part])}
      <div className="muted small">{formatPercent(numbers(a)[part], numbers(a).seen)}</div>
    </>
  );
  return [
    { header: 'Shown', ...NUMERIC, cell: (a) => formatCount(numbers(a).seen) },
    { header: 'Clicked', ...NUMERIC, cell: share('clicked') },
    { header: 'Dismissed', ...NUMERIC, cell: share('dismissed') },
  ];
}
