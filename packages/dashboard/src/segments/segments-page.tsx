import type { SegmentView } from '@lumio/protocol';
import { useState } from 'react';
import { Link } from 'react-router';
import { useSegments } from '../conditions/use-segments.js';
import { DataTable } from '../ui/data-table.js';
import { formatTime } from '../ui/format.js';
import { PageHeader } from '../ui/page-header.js';
import { QueryState } from '../ui/query-state.js';
import { actionColumn } from '../ui/action-column.js';
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
        {(list) => (
          <DataTable
            rows={list}
            rowKey={(segment) => segment.id}
            empty={
              <div className="card">
                <p>No segments yet. A segment names a group such as “Pro plans with 5+ seats” once, so every announcement can reuse it.</p>
                <Link to={`/w/${workspace.id}/segments/new`}>Create the first segment</Link>
              </div>
            }
            columns={[
              {
                header: 'Name',
                cell: (segment) => (
                  <>
                    <Link to={`/w/${workspace.id}/segments/${segment.id}`}>{segment.name}</Link>
                    {segment.description && <div className="muted small">{segment.description}</div>}
                  </>
                ),
              },
              { header: 'Who', cell: (segment) => segment.summary },
              { header: 'Updated', cellClassName: 'small', cell: (segment) => formatTime(segment.updatedAt) },
              actionColumn<SegmentView>({ label: 'Delete', name: (segment) => `Delete segment ${segment.name}`, onClick: setDeleting }),
            ]}
          />
        )}
      </QueryState>
      <DeleteSegmentDialog workspaceId={workspace.id} segment={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}
