import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
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
        {(list) =>
          list.length === 0 ? (
            <div className="card">
              <p>No widgets yet.</p>
              <p className="muted">
                {manage
                  ? 'Create one to get the snippet for your app and its signing secret.'
                  : 'An owner or admin of this workspace can create one.'}
              </p>
            </div>
          ) : (
            <div className="table-wrap">
              <table>
                <caption className="sr-only">Widgets of {workspace.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Widget id</th>
                    <th scope="col">Verification</th>
                    <th scope="col">Allowed origins</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((w) => (
                    <tr key={w.id}>
                      <td>
                        <Link to={w.id}>{w.name}</Link>
                      </td>
                      <td>
                        <code>{w.id}</code>
                      </td>
                      <td>
                        <span className={w.verificationMode === 'required' ? 'badge badge-ok' : 'badge'}>
                          {verificationModeLabel(w.verificationMode)}
                        </span>
                      </td>
                      <td>{w.allowedOrigins.length === 0 ? <span className="muted">Any site</span> : w.allowedOrigins.length}</td>
                      <td>{formatTime(w.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryState>
    </>
  );
}
