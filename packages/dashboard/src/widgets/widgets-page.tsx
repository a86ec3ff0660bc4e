import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { DataTable } from '../ui/data-table.js';
import { formatTime } from '../ui/format.js';
import { PageHeader } from '../ui/page-header.js';
import { QueryState } from '../ui/query-state.js';
import { canManage, useWorkspace } from '../workspaces/use-workspace.js';
import { CreateWidgetDialog } from './create-widget-dialog.js';
import { verificationModeLabel } from './verification-modes.js';
import { widgetQueries } from './widget-queries.js';
import './widgets.css';

/** The workspace's widgets, with "Create widget" for owners and admins. */
export function WidgetsPage() {
  const workspace = useWorkspace();
  const manage = canManage(workspace.role);
  const widgets = useQuery(widgetQueries.list(workspace.id));
  return (
    <>
      <PageHeader
        title="Widgets"
        description="Each widget is the launcher installed in one of your apps, with its own signing secret and settings."
        actions={manage && <CreateWidgetDialog workspaceId={workspace.id} />}
      />
      <QueryState query={widgets} loading="Loading widgets…">
        {(list) => (
          <DataTable
            rows={list}
            rowKey={(w) => w.id}
            caption={`Widgets of ${workspace.name}`}
            empty={
              <div className="card">
                <p>No widgets yet.</p>
                <p className="muted">
                  {manage
                    ? 'Create one to get the snippet for your app and its signing secret.'
                    : 'An owner or admin of this workspace can create one.'}
                </p>
              </div>
            }
            columns={[
              { header: 'Name', cell: (w) => <Link to={w.id}>{w.name}</Link> },
              { header: 'Widget id', cell: (w) => <code>{w.id}</code> },
              {
                header: 'Verification',
                cell: (w) => (
                  <span className={w.verificationMode === 'required' ? 'badge badge-ok' : 'badge'}>
                    {verificationModeLabel(w.verificationMode)}
                  </span>
                ),
              },
              {
                header: 'Allowed origins',
                cell: (w) => (w.allowedOrigins.length === 0 ? <span className="muted">Any site</span> : w.allowedOrigins.length),
              },
              { header: 'Created', cell: (w) => formatTime(w.createdAt) },
            ]}
          />
        )}
      </QueryState>
    </>
  );
}
