import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { PageHeader } from '../ui/page-header.js';
import { QueryState } from '../ui/query-state.js';
import { useWorkspace } from '../workspaces/use-workspace.js';
import { ArticleForm } from './article-form.js';
import { helpQueries } from './help-center-queries.js';
import { RelevancePanel } from './relevance-panel.js';
import { StatusBadge } from './status-badge.js';
import './help-center.css';

/** Writes a new article (`help/articles/new`) or edits one (`help/articles/:articleId`). */
export function ArticleEditorPage() {
  const workspace = useWorkspace();
  const { articleId } = useParams();
  const [params] = useSearchParams();
  const collections = useQuery(helpQueries.collections(workspace.id));
  const article = useQuery({ ...helpQueries.article(workspace.id, articleId ?? ''), enabled: articleId !== undefined });
  const back = (
    <p>
      <Link to={`/w/${workspace.id}/help`}>← Help center</Link>
    </p>
  );
  if (articleId === undefined)
    return (
      <>
        {back}
        <PageHeader sticky title="New article" description="Saved as a draft unless you publish it." />
        <QueryState query={collections} loading="Loading collections…">
          {(answer) => (
            <ArticleForm workspaceId={workspace.id} collections={answer.collections} initialCollectionId={params.get('collection')} />
          )}
        </QueryState>
      </>
    );
  return (
    <>
      {back}
      <QueryState query={article} loading="Loading the article…">
        {(a) => (
          <>
            <PageHeader
              sticky
              title={a.title}
              description={
                <>
                  <StatusBadge status={a.status} /> /{a.slug}
                </>
              }
            />
            <QueryState query={collections} loading="Loading collections…">
              {(answer) => <ArticleForm key={a.id} workspaceId={workspace.id} collections={answer.collections} article={a} />}
            </QueryState>
            <RelevancePanel workspaceId={workspace.id} articleId={a.id} version={a.updatedAt} />
          </>
        )}
      </QueryState>
    </>
  );
}
