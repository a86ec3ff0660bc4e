import { ANNOUNCEMENT_LIMITS, type AnnouncementView } from '@lumio/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/api-client.js';
import { Button } from '../ui/button.js';
import { ErrorMessage } from '../ui/error-message.js';
import { formatTime } from '../ui/format.js';
import { PageHeader } from '../ui/page-header.js';
import { QueryState } from '../ui/query-state.js';
import { SelectField } from '../ui/select-field.js';
import { SwitchField } from '../ui/switch-field.js';
import { TextField } from '../ui/text-field.js';
import { UnsavedNote } from '../ui/unsaved-note.js';
import { useToast } from '../ui/use-toast.js';
import { useUnsavedChanges } from '../ui/use-unsaved-changes.js';
import { canManage, useWorkspace } from '../workspaces/use-workspace.js';
import { announcementsKey, FREQUENCY_LABELS, KIND_LABELS } from './announcement-api.js';
import { draftOf, requestOf, type AnnouncementDraft } from './announcement-draft.js';
import { AnnouncementStatusBadge } from './announcement-status-badge.js';
import { AudienceSection } from './audience-section.js';
import { DeleteAnnouncementDialog } from './delete-announcement-dialog.js';
import { MarkdownField } from './markdown-field.js';
import { WidgetPreviewSection } from './widget-preview-section.js';
import './announcements.css';

/** Writes a new announcement (`announcements/new`) or edits one, with audience, schedule, preview and publishing. */
export function AnnouncementEditorPage() {
  const workspace = useWorkspace();
  const { announcementId } = useParams();
  const announcement = useQuery({
    queryKey: [...announcementsKey(workspace.id), 'one', announcementId],
    queryFn: () => api<AnnouncementView>(`/workspaces/${workspace.id}/announcements/${announcementId}`),
    enabled: announcementId !== undefined,
  });
  if (announcementId === undefined) return <AnnouncementForm announcement={null} />;
  return <QueryState query={announcement}>{(data) => <AnnouncementForm key={data.id} announcement={data} />}</QueryState>;
}

function AnnouncementForm({ announcement }: { announcement: AnnouncementView | null }) {
  const workspace = useWorkspace();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<AnnouncementDraft>(() => draftOf(announcement));
  const [conditionValid, setConditionValid] = useState(true);
  const [deleting, setDeleting] = useState(false);
  const toast = useToast();
  const guard = useUnsavedChanges(draft);
  const update = (patch: Partial<AnnouncementDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const base = `/workspaces/${workspace.id}/announcements`;

  const save = useMutation({
    // The draft travels with the request: what was saved, even if the team types on meanwhile.
    mutationFn: ({ status, sent }: { status: 'draft' | 'live' | 'ended'; sent: AnnouncementDraft }) =>
      announcement
        ? api<AnnouncementView>(`${base}/${announcement.id}`, { method: 'PATCH', body: requestOf(sent, status) })
        : api<AnnouncementView>(base, { method: 'POST', body: requestOf(sent, status) }),
    onSuccess: async (saved, { sent }) => {
      guard.saved(sent);
      toast(
        saved.status === 'draft'
          ? 'Saved as a draft.'
          : saved.status === 'ended'
            ? 'Saved; it has ended.'
            : `Saved; it is ${saved.status}.`,
      );
      client.setQueryData([...announcementsKey(workspace.id), 'one', saved.id], saved);
      void client.invalidateQueries({ queryKey: announcementsKey(workspace.id) });
      // Saved above, so going to the new announcement's address does not ask.
      if (!announcement) navigate(`/w/${workspace.id}/announcements/${saved.id}`, { replace: true });
    },
  });

  const status = announcement?.status ?? 'draft';
  const published = status === 'live' || status === 'scheduled';
  // What "Save" keeps: the status it has (a live one stays live).
  const keep = published ? 'live' : status === 'ended' ? 'ended' : 'draft';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ status: keep, sent: draft });
  };
  const act = (to: 'draft' | 'live' | 'ended') => save.mutate({ status: to, sent: draft });
  const canSave = conditionValid && draft.title.trim() !== '';

  return (
    <>
      <PageHeader
        sticky
        title={announcement ? announcement.title : 'New announcement'}
        description={
          <>
            <Link to={`/w/${workspace.id}/announcements`}>All announcements</Link>
            {announcement && (
              <>
                {' · '}
                <AnnouncementStatusBadge status={announcement.status} /> updated {formatTime(announcement.updatedAt)}
              </>
            )}
            <UnsavedNote dirty={guard.dirty} />
          </>
        }
        actions={
          announcement &&
          canManage(workspace.role) && (
            <Button variant="danger" onClick={() => setDeleting(true)}>
              Delete
            </Button>
          )
        }
      />
      <form className="announcement-editor" onSubmit={submit} noValidate>
        <div className="stack announcement-editor-form">
          <section className="card stack" aria-labelledby="content-title">
            <h2 id="content-title">Content</h2>
            <div className="editor-grid">
              <SelectField
                label="Appears as"
                value={draft.kind}
                onChange={(e) => update({ kind: e.target.value as AnnouncementDraft['kind'] })}
                options={Object.entries(KIND_LABELS)}
              />
              {draft.kind === 'banner' && (
                <SelectField
                  label="Banner position"
                  value={draft.bannerPosition}
                  onChange={(e) => update({ bannerPosition: e.target.value as 'top' | 'bottom' })}
                  options={[
                    ['top', 'Top of the page'],
                    ['bottom', 'Bottom of the page'],
                  ]}
                />
              )}
            </div>
            <TextField
              label="Title"
              value={draft.title}
              onChange={(e) => update({ title: e.target.value })}
              required
              maxLength={ANNOUNCEMENT_LIMITS.titleLength}
            />
            <MarkdownField
              workspaceId={workspace.id}
              value={draft.body}
              onChange={(body) => update({ body })}
              maxLength={ANNOUNCEMENT_LIMITS.bodyLength}
            />
            <SwitchField
              label="Call to action"
              hint="A button that opens a web page in a new tab."
              checked={draft.ctaOn}
              onCheckedChange={(ctaOn) => update({ ctaOn })}
            />
            {draft.ctaOn && (
              <div className="editor-grid">
                <TextField
                  label="Button label"
                  value={draft.ctaLabel}
                  onChange={(e) => update({ ctaLabel: e.target.value })}
                  maxLength={ANNOUNCEMENT_LIMITS.ctaLabelLength}
                />
                <TextField
                  label="Link (http or https)"
                  type="url"
                  value={draft.ctaUrl}
                  onChange={(e) => update({ ctaUrl: e.target.value })}
                  maxLength={ANNOUNCEMENT_LIMITS.urlLength}
                  placeholder="https://example.com/pricing"
                />
              </div>
            )}
          </section>
          <AudienceSection
            workspaceId={workspace.id}
            announcementId={announcement?.id ?? null}
            draft={draft}
            update={update}
            conditionValid={conditionValid}
            onConditionValid={setConditionValid}
          />
          <section className="card stack" aria-labelledby="schedule-title">
            <h2 id="schedule-title">Schedule and frequency</h2>
            <div className="editor-grid">
              <TextField
                label="Starts"
                hint="Empty: as soon as it is published. Your local time."
                type="datetime-local"
                value={draft.startsAt}
                onChange={(e) => update({ startsAt: e.target.value })}
              />
              <TextField
                label="Ends"
                hint="Empty: until you end it."
                type="datetime-local"
                value={draft.endsAt}
                onChange={(e) => update({ endsAt: e.target.value })}
              />
              <SelectField
                label="How often a user gets it"
                value={draft.frequency}
                onChange={(e) => update({ frequency: e.target.value as AnnouncementDraft['frequency'] })}
                options={Object.entries(FREQUENCY_LABELS)}
              />
              <TextField
                label="Priority"
                hint="Higher shows first when several match (−1000 to 1000)."
                type="number"
                min={-1000}
                max={1000}
                step={1}
                value={draft.priority}
                onChange={(e) => update({ priority: e.target.value })}
              />
            </div>
          </section>
          <ErrorMessage error={save.error} />
          <div className="row form-actions-sticky">
            <Button type="submit" variant={published ? 'primary' : 'secondary'} busy={save.isPending} disabled={!canSave}>
              {announcement ? (published ? 'Save changes' : status === 'ended' ? 'Save' : 'Save draft') : 'Save draft'}
            </Button>
            {!published && (
              <Button variant="primary" onClick={() => act('live')} busy={save.isPending} disabled={!canSave}>
                {status === 'ended' ? 'Publish again' : 'Publish'}
              </Button>
            )}
            {published && (
              <>
                <Button onClick={() => act('draft')} busy={save.isPending} disabled={!canSave}>
                  Unpublish (back to draft)
                </Button>
                <Button onClick={() => act('ended')} busy={save.isPending} disabled={!canSave}>
                  End now
                </Button>
              </>
            )}
            <Link to={`/w/${workspace.id}/announcements`}>Cancel</Link>
          </div>
          {!conditionValid && <p className="field-error">Fix the audience condition to save.</p>}
        </div>
        <WidgetPreviewSection workspaceId={workspace.id} draft={draft} />
      </form>
      {guard.prompt}
      <DeleteAnnouncementDialog
        workspaceId={workspace.id}
        announcement={deleting ? announcement : null}
        onClose={() => setDeleting(false)}
        onDeleted={() => {
          guard.leaveFreely();
          navigate(`/w/${workspace.id}/announcements`, { replace: true });
        }}
      />
    </>
  );
}
