import { useState } from 'react';
import { Link } from 'react-router';
import type { SegmentView } from '../conditions/condition-api.js';
import { useSegments } from '../conditions/use-segments.js';
import { formatTime } from '../ui/format.js';
import { PageHeader } from '../ui/page-header.js';
import { QueryState } from '../ui/query-state.js';
import { Button } from '../ui/button.js';
import { useWorkspace } from '../workspaces/use-workspace.js';
import { DeleteSegmentDialog } from './delete-segment-dialog.js';

/** The workspace's saved segments: named conditions that announcements, articles and reports reuse. */
export function SegmentsPage() {
  const workspace = useWorkspace();
  const segments = useSegments(workspace.id);
  const [deleting, setDeleting] = useState<SegmentView | null>(null);
  return (
    <>
      <PageHeader
        title="Segments"
        description="Named groups of users, defined by a condition. Use them in announcements, articles and analytics filters."
        actions={
          <Link className="button button-primary" to={`/w/${workspace.id}/segments/new`}>
            New segment
          </Link>
        }
      />
      <QueryState query={segments}>
        {(list) =>
          list.length === 0 ? (
            <div className="card">
              <p>No segments yet. A segment names a group such as “Pro plans with 5+ seats” once, so every announcement can reuse it.</p>
              <Link to={`/w/${workspace.id}/segments/new`}>Create the first segment</Link>
            </div>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Who</th>
                    <th scope="col">Updated</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((segment) => (
                    <tr key={segment.id}>
                      <td>
                        <Link to={`/w/${workspace.id}/segments/${segment.id}`}>{segment.name}</Link>
                        {segment.description && <div className="muted small">{segment.description}</div>}
                      </td>
                      <td>{segment.summary}</td>
                      <td className="small">{formatTime(segment.updatedAt)}</td>
                      <td>
                        <Button variant="ghost" onClick={() => setDeleting(segment)} aria-label={`Delete segment ${segment.name}`}>
                          Delete
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryState>
      <DeleteSegmentDialog workspaceId={workspace.id} segment={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}
