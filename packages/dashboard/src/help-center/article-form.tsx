import type { ArticleView, CollectionView } from '@lumio/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import type { Condition } from '@lumio/targeting';
import { api } from '../api/api-client.js';
import { RuleBuilder, type ConditionChange } from '../conditions/rule-builder.js';
import { ApiError } from '../api/api-error.js';
import { Button } from '../ui/button.js';
import { ConfirmDialog } from '../ui/confirm-dialog.js';
import { ErrorMessage } from '../ui/error-message.js';
import { formatTime } from '../ui/format.js';
import { SelectField } from '../ui/select-field.js';
import { TextField } from '../ui/text-field.js';
import { TextareaField } from '../ui/textarea-field.js';
import { UnsavedNote } from '../ui/unsaved-note.js';
import { useToast } from '../ui/use-toast.js';
import { useUnsavedChanges } from '../ui/use-unsaved-changes.js';
import { ArticlePreview } from './article-preview.js';
import { helpKey, helpPath, helpQueries } from './help-center-queries.js';
import { TagsField } from './tags-field.js';

/** The article editor's fields, its live preview, Save and Delete. */
export function ArticleForm({
  workspaceId,
  collections,
  article,
  initialCollectionId = null,
}: {
  workspaceId: string;
  collections: CollectionView[];
  article?: ArticleView;
  initialCollectionId?: string | null;
}) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState(article?.title ?? '');
  const [slug, setSlug] = useState(article?.slug ?? '');
  const [collectionId, setCollectionId] = useState(article ? (article.collectionId ?? '') : (initialCollectionId ?? ''));
  const [status, setStatus] = useState<'draft' | 'published'>(article?.status ?? 'draft');
  const [body, setBody] = useState(article?.body ?? '');
  const [excerpt, setExcerpt] = useState(article?.excerpt ?? '');
  const [tags, setTags] = useState<string[]>(article?.tags ?? []);
  const topics = useQuery({ ...helpQueries.topics(workspaceId), staleTime: 60_000 });
  // Sent only when edited: otherwise the server keeps making it from the body.
  const [excerptTouched, setExcerptTouched] = useState(false);
  const [audience, setAudience] = useState<ConditionChange>(() => ({
    condition: (article?.audience?.condition as Condition | undefined) ?? null,
    valid: true,
  }));
  const [properties, setProperties] = useState<'all' | 'trusted'>(article?.audience?.properties ?? 'all');
  const [audienceTried, setAudienceTried] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const toast = useToast();
  // What leaving would lose: every field as the form holds it.
  const fields = { title, slug, collectionId, status, body, excerpt, tags, audience, properties };
  const guard = useUnsavedChanges(fields);
  // The fields as they were when Save was pressed: what the server now holds, even if the team typed on meanwhile.
  const sent = useRef(fields);

  const save = useMutation({
    mutationFn: (payload: Record<string, unknown>) =>
      article
        ? api<ArticleView>(`${helpPath(workspaceId)}/articles/${article.id}`, { method: 'PATCH', body: payload })
        : api<ArticleView>(`${helpPath(workspaceId)}/articles`, { body: payload }),
    onSuccess: async (saved) => {
      // The form as sent, with what the server made of the slug, excerpt and tags (shown below once saved).
      guard.saved({ ...sent.current, slug: saved.slug, excerpt: saved.excerpt, tags: saved.tags });
      toast(article ? `Saved ${formatTime(saved.updatedAt)}.` : 'Article created.');
      queryClient.setQueryData([...helpKey(workspaceId), 'article', saved.id], saved);
      // The lists, the collections' counts (a new article, or one moved to another collection) and the topics.
      await Promise.all(
        (['articles', 'collections', 'topics'] as const).map((part) =>
          queryClient.invalidateQueries({ queryKey: [...helpKey(workspaceId), part] }),
        ),
      );
      if (!article) {
        // The form still shows the slug it was sent with (empty: made by the server): go without asking.
        guard.leaveFreely();
        navigate(`/w/${workspaceId}/help/articles/${saved.id}`, { replace: true });
      } else {
        setSlug(saved.slug);
        setExcerpt(saved.excerpt);
        // The tags as stored: topic keys, duplicates merged.
        setTags(saved.tags);
        setExcerptTouched(false);
      }
    },
  });
  const remove = useMutation({
    mutationFn: () => api(`${helpPath(workspaceId)}/articles/${article!.id}`, { method: 'DELETE' }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: helpKey(workspaceId) });
      guard.leaveFreely();
      navigate(`/w/${workspaceId}/help`, { replace: true });
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The builder shows why beside the audience; nothing is sent until it is fixed.
    setAudienceTried(true);
    if (!audience.valid) return;
    const condition = audience.condition;
    sent.current = fields;
    save.mutate({
      title,
      ...(slug.trim() ? { slug: slug.trim() } : {}),
      body,
      ...(excerptTouched ? { excerpt: excerpt.trim() ? excerpt.trim() : null } : {}),
      collectionId: collectionId || null,
      status,
      audience: condition === null ? null : { condition, properties },
      tags,
    });
  };

  const error = save.error instanceof ApiError ? save.error : null;
  const fieldError = (field: string) =>
    error && (error.details?.field === field || error.details?.field === `${field}.condition`) ? error.message : undefined;
  const conditionError = error?.code === 'invalid_condition' ? error : undefined;
  // `tags` or one tag (`tags.2`): shown under the tags field.
  const tagsField = error?.details?.field;
  const tagsError = typeof tagsField === 'string' && /^tags(\.\d+)?$/.test(tagsField) ? error!.message : undefined;

  return (
    <form className="editor-layout" onSubmit={submit} aria-label={article ? 'Edit article' : 'New article'}>
      <div className="stack">
        <TextField
          label="Title"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          required
          maxLength={200}
          error={fieldError('title')}
        />
        <TextField
          label="Slug"
          hint={article ? 'The article’s address in the widget (#article/<slug>).' : 'Left empty, it is made from the title.'}
          value={slug}
          onChange={(e) => setSlug(e.target.value)}
          maxLength={80}
          pattern="[\p{Ll}\p{Lo}\p{N}]+(-[\p{Ll}\p{Lo}\p{N}]+)*"
          title="Lower-case words joined by hyphens, like reset-your-password"
          error={fieldError('slug')}
        />
        <div className="row">
          <SelectField
            label="Collection"
            value={collectionId}
            onChange={(e) => setCollectionId(e.target.value)}
            options={[['', 'Not in a collection'], ...collections.map((c) => [c.id, c.name] as const)]}
          />
          <SelectField
            label="Status"
            value={status}
            onChange={(e) => setStatus(e.target.value as 'draft' | 'published')}
            options={[
              ['draft', 'Draft (not in the widget)'],
              ['published', 'Published'],
            ]}
          />
        </div>
        <TextareaField
          label="Body (Markdown)"
          className="markdown-body"
          value={body}
          onChange={(e) => setBody(e.target.value)}
          maxLength={100_000}
          hint="Headings, lists, links, images (https), code and tables. A link to #article/<slug> opens that article in the widget."
          error={fieldError('body')}
        />
        <TextareaField
          label="Excerpt"
          value={excerpt}
          onChange={(e) => {
            setExcerpt(e.target.value);
            setExcerptTouched(true);
          }}
          maxLength={500}
          rows={2}
          hint="Shown in lists and search. Unless you write one, it is the first 200 characters of the text; empty it to go back to that."
          error={fieldError('excerpt')}
        />
        <TagsField tags={tags} onChange={setTags} topics={topics.data?.topics} error={tagsError} />
        <fieldset className="stack card">
          <legend>Audience</legend>
          <p className="muted small">
            No rules: everyone may read it. Otherwise only users matching them; the server checks them when you save.
          </p>
          <RuleBuilder
            workspaceId={workspaceId}
            initial={audience.condition}
            onChange={(change) => {
              setAudience(change);
              // The server's answer was about the audience as saved: an edit makes it stale.
              if (save.error instanceof ApiError && save.error.code === 'invalid_condition') save.reset();
            }}
            properties={properties}
            onPropertiesChange={setProperties}
            trustedHint="Reads only values from a signed token or the server API, never what a browser claimed."
            serverError={conditionError}
          />
          {audienceTried && !audience.valid && (
            <p className="field-error" role="status">
              Fix the audience above to save.
            </p>
          )}
        </fieldset>
        {save.isError && !conditionError && !tagsError && <ErrorMessage error={save.error} />}
        <div className="row form-actions-sticky">
          <Button type="submit" variant="primary" busy={save.isPending}>
            {article ? 'Save' : 'Create article'}
          </Button>
          {article && (
            <Button variant="danger" onClick={() => setConfirmDelete(true)}>
              Delete article
            </Button>
          )}
          {article && (
            <span className="muted small">
              Last saved {formatTime(article.updatedAt)}
              {article.publishedAt ? ` · first published ${formatTime(article.publishedAt)}` : ''}
            </span>
          )}
          <UnsavedNote dirty={guard.dirty} />
        </div>
      </div>
      <ArticlePreview workspaceId={workspaceId} title={title} body={body} />
      {guard.prompt}
      {article && (
        <ConfirmDialog
          open={confirmDelete}
          onClose={() => setConfirmDelete(false)}
          title={`Delete “${article.title}”?`}
          description="The article, its saves and its feedback are deleted, and it disappears from the widget at once. This cannot be undone."
          confirmLabel="Delete article"
          mutation={remove}
          onConfirm={() => remove.mutate()}
        />
      )}
    </form>
  );
}
