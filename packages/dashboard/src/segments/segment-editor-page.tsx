import { segmentBody, segmentPatchBody, type PropertiesView, type SegmentBody, type SegmentView } from '@lumio/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/api-client.js';
import { formIssue, issueFor } from '../api/form-issue.js';
import { AudienceCount } from '../conditions/audience-count.js';
import { segmentsKey } from '../conditions/condition-api.js';
import { RuleBuilder, type ConditionChange } from '../conditions/rule-builder.js';
import { Button } from '../ui/button.js';
import { ErrorMessage } from '../ui/error-message.js';
import { PageHeader } from '../ui/page-header.js';
import { QueryState } from '../ui/query-state.js';
import { TextField } from '../ui/text-field.js';
import { TextareaField } from '../ui/textarea-field.js';
import { UnsavedNote } from '../ui/unsaved-note.js';
import { useToast } from '../ui/use-toast.js';
import { useUnsavedChanges } from '../ui/use-unsaved-changes.js';
import { useWorkspace } from '../workspaces/use-workspace.js';
import { DeleteSegmentDialog } from './delete-segment-dialog.js';

/** Creates a segment (`segments/new`) or edits one (`segments/:segmentId`), with the rule builder and its live audience. */
export function SegmentEditorPage() {
  const workspace = useWorkspace();
  const { segmentId } = useParams();
  const segment = useQuery({
    queryKey: [...segmentsKey(workspace.id), segmentId],
    queryFn: () => api<SegmentView>(`/workspaces/${workspace.id}/segments/${segmentId}`),
    enabled: segmentId !== undefined,
  });
  if (segmentId === undefined) return <SegmentForm workspaceId={workspace.id} segment={null} />;
  return <QueryState query={segment}>{(data) => <SegmentForm key={data.id} workspaceId={workspace.id} segment={data} />}</QueryState>;
}

function SegmentForm({ workspaceId, segment }: { workspaceId: string; segment: SegmentView | null }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState(segment?.name ?? '');
  const [description, setDescription] = useState(segment?.description ?? '');
  const [change, setChange] = useState<ConditionChange>({
    condition: segment && Object.keys(segment.condition).length > 0 ? segment.condition : null,
    valid: true,
  });
  const [properties, setProperties] = useState<PropertiesView>('all');
  const [deleting, setDeleting] = useState(false);
  const [tried, setTried] = useState(false);
  const body: SegmentBody = { name, description, condition: change.condition ?? {} };
  const toast = useToast();
  const guard = useUnsavedChanges(body);
  const check = () => formIssue(segment ? segmentPatchBody : segmentBody, body);
  const issue = tried ? check() : null;

  const save = useMutation({
    mutationFn: (sent: SegmentBody) =>
      segment
        ? api<SegmentView>(`/workspaces/${workspaceId}/segments/${segment.id}`, { method: 'PATCH', body: sent })
        : api<SegmentView>(`/workspaces/${workspaceId}/segments`, { method: 'POST', body: sent }),
    onSuccess: async (result, sent) => {
      guard.saved(sent);
      toast(segment ? 'Segment saved.' : 'Segment created.');
      await client.invalidateQueries({ queryKey: segmentsKey(workspaceId) });
      // Saved above, so going to the new segment's address does not ask.
      if (!segment) navigate(`/w/${workspaceId}/segments/${result.id}`, { replace: true });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!check()) save.mutate(body);
  };

  return (
    <>
      <PageHeader
        sticky
        title={segment ? `Segment: ${segment.name}` : 'New segment'}
        description={
          <>
            <Link to={`/w/${workspaceId}/segments`}>All segments</Link>
            <UnsavedNote dirty={guard.dirty} />
          </>
        }
        actions={
          segment && (
            <Button variant="danger" onClick={() => setDeleting(true)}>
              Delete
            </Button>
          )
        }
      />
      <form className="stack" onSubmit={submit} noValidate>
        <div className="card stack">
          <TextField
            label="Name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={issueFor(issue, 'name')}
            required
            maxLength={120}
          />
          <TextareaField
            label="Description"
            hint="Optional: what the group is for."
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            error={issueFor(issue, 'description')}
            maxLength={1000}
            rows={2}
          />
        </div>
        <div className="card stack">
          <h2>Who is in it</h2>
          <RuleBuilder
            workspaceId={workspaceId}
            initial={change.condition}
            onChange={setChange}
            excludeSegmentId={segment?.id}
            properties={properties}
            onPropertiesChange={setProperties}
            trustedHint="Counts only values from a signed token or the server API. Announcements choose this for themselves when they use the segment."
          />
        </div>
        <AudienceCount workspaceId={workspaceId} condition={change.condition} valid={change.valid} properties={properties} />
        <ErrorMessage error={save.error} />
        <div className="row form-actions-sticky">
          <Button type="submit" variant="primary" busy={save.isPending} disabled={!change.valid || name.trim() === ''}>
            {segment ? 'Save changes' : 'Create segment'}
          </Button>
          <Link to={`/w/${workspaceId}/segments`}>Cancel</Link>
        </div>
      </form>
      <DeleteSegmentDialog
        workspaceId={workspaceId}
        segment={deleting ? segment : null}
        onClose={() => setDeleting(false)}
        onDeleted={() => {
          guard.leaveFreely();
          navigate(`/w/${workspaceId}/segments`, { replace: true });
        }}
      />
      {guard.prompt}
    </>
  );
}
