import type { ArticleView, MemberView } from '@lumio/protocol';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button } from '../ui/button.js';
import { DataTable } from '../ui/data-table.js';
import { formatTime } from '../ui/format.js';
import { PageHeader } from '../ui/page-header.js';
import { QueryState } from '../ui/query-state.js';
import { useWorkspace } from '../workspaces/use-workspace.js';
import { CollectionsPanel, type CollectionFilter } from './collections-panel.js';
import { ExportButton } from './export-button.js';
import { helpQueries } from './help-center-queries.js';
import { ImportDialog } from './import-dialog.js';
import { StatusBadge } from './status-badge.js';
import './help-center.css';

const PAGE_SIZE = 50;

/** The help center: collections, the articles of the one picked, import and export. */
export function HelpCenterPage() {
  const workspace = useWorkspace();
  const [params, setParams] = useSearchParams();
  const selected: CollectionFilter = params.get('collection') ?? 'all';
  const collections = useQuery(helpQueries.collections(workspace.id));
  const articles = useQuery(helpQueries.articles(workspace.id));
  const members = useQuery(helpQueries.members(workspace.id));
  const select = (filter: CollectionFilter) => setParams(filter === 'all' ? {} : { collection: filter });

  const counts = useMemo(() => {
    const counts = new Map<string, number>();
    for (const a of articles.data ?? []) counts.set(a.collectionId ?? '', (counts.get(a.collectionId ?? '') ?? 0) + 1);
    return counts;
  }, [articles.data]);
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
          {(list) => (
            <CollectionsPanel workspaceId={workspace.id} collections={list} counts={counts} selected={selected} onSelect={select} />
          )}
        </QueryState>
        <section aria-labelledby="articles-title">
          <h2 id="articles-title">
            {selected === 'all'
              ? 'All articles'
              : selected === 'none'
                ? 'Articles not in a collection'
                : (collections.data?.find((c) => c.id === selected)?.name ?? 'Articles')}
          </h2>
          <QueryState query={articles} loading="Loading articles…">
            {(list) => (
              <ArticlesTable
                key={selected}
                articles={list.filter((a) => selected === 'all' || (a.collectionId ?? 'none') === selected)}
                members={members.data}
              />
            )}
          </QueryState>
        </section>
      </div>
    </>
  );
}

function ArticlesTable({ articles, members }: { articles: ArticleView[]; members: MemberView[] | undefined }) {
  const [page, setPage] = useState(0);
  if (articles.length === 0)
    return (
      <div className="card">
        <p>No articles here yet.</p>
        <p className="muted">Write one with “New article”, or import Markdown files.</p>
      </div>
    );
  const pages = Math.ceil(articles.length / PAGE_SIZE);
  const shown = articles.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  const author = (id: string | null) => {
    if (!id) return '—';
    const m = members?.find((x) => x.accountId === id);
    return m ? m.name || m.email : members ? 'former member' : '…';
  };
  return (
    <>
      <DataTable
        rows={shown}
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
          { header: 'Audience', cellClassName: 'small', cell: (a) => (a.audience ? 'Targeted' : 'Everyone') },
          { header: 'Updated', cellClassName: 'small', cell: (a) => formatTime(a.updatedAt) },
          { header: 'Author', cellClassName: 'small', cell: (a) => author(a.authorId) },
        ]}
      />
      {pages > 1 && (
        <nav className="row pager" aria-label="Article pages">
          <Button variant="ghost" disabled={page === 0} onClick={() => setPage(page - 1)}>
            Previous
          </Button>
          <span className="muted small" aria-live="polite">
            Page {page + 1} of {pages} ({articles.length} articles)
          </span>
          <Button variant="ghost" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
            Next
          </Button>
        </nav>
      )}
    </>
  );
}
