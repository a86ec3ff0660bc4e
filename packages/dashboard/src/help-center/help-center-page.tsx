import type { ArticleSummaryView, MemberView } from '@lumio/protocol';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { Button } from '../ui/button.js';
import { DataTable } from '../ui/data-table.js';
import { countOf, formatTime } from '../ui/format.js';
import { LoadMore } from '../ui/load-more.js';
import { PageHeader } from '../ui/page-header.js';
import { QueryState } from '../ui/query-state.js';
import { membersQuery } from '../team/members-query.js';
import { useWorkspace } from '../workspaces/use-workspace.js';
import { CollectionsPanel, type CollectionFilter } from './collections-panel.js';
import { ExportButton } from './export-button.js';
import { helpQueries } from './help-center-queries.js';
import { ImportDialog } from './import-dialog.js';
import { StatusBadge } from './status-badge.js';
import './help-center.css';

/** The help center: collections, the articles of the one picked, import and export. */
export function HelpCenterPage() {
  const workspace = useWorkspace();
  const [params, setParams] = useSearchParams();
  const selected: CollectionFilter = params.get('collection') ?? 'all';
  const tag = params.get('tag');
  const collections = useQuery(helpQueries.collections(workspace.id));
  const articles = useInfiniteQuery(helpQueries.articles(workspace.id, selected, tag));
  const members = useQuery({ ...membersQuery(workspace.id), staleTime: 60_000 });
  // Picking a collection keeps the tag filter, and a tag keeps the collection.
  const filterBy = (collection: CollectionFilter, tag: string | null) =>
    setParams({ ...(collection === 'all' ? {} : { collection }), ...(tag === null ? {} : { tag }) });
  const select = (filter: CollectionFilter) => filterBy(filter, tag);
  const newArticle = `new${selected !== 'all' && selected !== 'none' ? `?collection=${encodeURIComponent(selected)}` : ''}`;

  return (
    <>
      <PageHeader
        title="Help center"
        description="Articles your users read in the widget's Help tab, grouped in collections."
        actions={
          <>
            <Link className="button button-primary" to={`articles/${newArticle}`}>
              New article
            </Link>
            <ImportDialog workspaceId={workspace.id} />
            <ExportButton workspaceId={workspace.id} workspaceName={workspace.name} />
          </>
        }
      />
      <div className="help-layout">
        <QueryState query={collections} loading="Loading collections…">
          {(answer) => (
            <CollectionsPanel
              workspaceId={workspace.id}
              collections={answer.collections}
              counts={answer.articleCounts}
              selected={selected}
              onSelect={select}
            />
          )}
        </QueryState>
        <section aria-labelledby="articles-title">
          <h2 id="articles-title">
            {selected === 'all'
              ? 'All articles'
              : selected === 'none'
                ? 'Articles not in a collection'
                : (collections.data?.collections.find((c) => c.id === selected)?.name ?? 'Articles')}
          </h2>
          {tag !== null && (
            <p className="row" role="status">
              <span>
                Tagged <span className="tag">{tag}</span>
              </span>
              <Button variant="ghost" onClick={() => filterBy(selected, null)}>
                Show every tag
              </Button>
            </p>
          )}
          <QueryState query={articles} loading="Loading articles…">
            {(data) => (
              <ArticlesTable
                pages={articles}
                articles={data.pages.flatMap((p) => p.articles)}
                members={members.data}
                onTag={(t) => filterBy(selected, t)}
              />
            )}
          </QueryState>
        </section>
      </div>
    </>
  );
}

function ArticlesTable({
  pages,
  articles,
  members,
  onTag,
}: {
  pages: Parameters<typeof LoadMore>[0]['pages'];
  articles: ArticleSummaryView[];
  members: MemberView[] | undefined;
  onTag: (tag: string) => void;
}) {
  if (articles.length === 0)
    return (
      <div className="card">
        <p>No articles here yet.</p>
        <p className="muted">Write one with “New article”, or import Markdown files.</p>
      </div>
    );
  const author = (id: string | null) => {
    if (!id) return '—';
    const m = members?.find((x) => x.accountId === id);
    return m ? m.name || m.email : members ? 'former member' : '…';
  };
  return (
    <>
      <DataTable
        rows={articles}
        rowKey={(a) => a.id}
        columns={[
          {
            header: 'Title',
            cell: (a) => (
              <>
                <Link to={`articles/${a.id}`}>{a.title}</Link>
                <div className="muted small">/{a.slug}</div>
              </>
            ),
          },
          { header: 'Status', cell: (a) => <StatusBadge status={a.status} /> },
          {
            header: 'Tags',
            cellClassName: 'small',
            cell: (a) =>
              a.tags.length === 0 ? (
                '—'
              ) : (
                <ul className="plain-list tag-list">
                  {a.tags.map((t) => (
                    <li key={t} className="tag">
                      <button type="button" className="tag-filter" aria-label={`Show articles tagged ${t}`} onClick={() => onTag(t)}>
                        {t}
                      </button>
                    </li>
                  ))}
                </ul>
              ),
          },
          { header: 'Audience', cellClassName: 'small', cell: (a) => (a.audience ? 'Targeted' : 'Everyone') },
          { header: 'Updated', cellClassName: 'small', cell: (a) => formatTime(a.updatedAt) },
          { header: 'Author', cellClassName: 'small', cell: (a) => author(a.authorId) },
        ]}
      />
      <LoadMore
        pages={pages}
        label="Load more articles"
        shown={`${countOf(articles.length, { one: 'article', other: 'articles' })} shown`}
      />
    </>
  );
}
