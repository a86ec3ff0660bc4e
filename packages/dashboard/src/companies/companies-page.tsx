import type { CompanyListAnswer } from '@lumio/protocol';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/api-client.js';
import { DataTable } from '../ui/data-table.js';
import { ErrorMessage } from '../ui/error-message.js';
import { countOf, formatCount, formatTime } from '../ui/format.js';
import { LoadMore } from '../ui/load-more.js';
import { PageHeader } from '../ui/page-header.js';
import { TextField } from '../ui/text-field.js';
import { useWorkspace } from '../workspaces/use-workspace.js';
import { encodeUserId } from '../users/encode-user-id.js';
import '../users/users.css';
import './companies.css';

const PAGE_SIZE = 50;
// The list follows the search box after a pause in typing, not on every key.
const DEBOUNCE_MS = 300;

/** The workspace's companies: search by the start of the company id or name (kept in the address, shareable); pages of 50. */
export function CompaniesPage() {
  const workspace = useWorkspace();
  const [params, setParams] = useSearchParams();
  const query = params.get('q') ?? '';
  const [text, setText] = useState(query);
  // A link or the back button brings its own search.
  useEffect(() => setText((typed) => (typed.trim() === query ? typed : query)), [query]);

  useEffect(() => {
    const timer = setTimeout(() => {
      if (text.trim() === query) return;
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          if (text.trim()) next.set('q', text.trim());
          else next.delete('q');
          return next;
        },
        { replace: true },
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, query, setParams]);

  const companies = useInfiniteQuery({
    queryKey: ['workspaces', workspace.id, 'companies', 'list', query],
    queryFn: ({ pageParam, signal }) => {
      const search = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (query) search.set('q', query);
      if (pageParam) search.set('cursor', pageParam);
      return api<CompanyListAnswer>(`/workspaces/${workspace.id}/companies?${search}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
  const rows = companies.data?.pages.flatMap((p) => p.companies) ?? [];

  return (
    <>
      <PageHeader
        title="Companies"
        description="The accounts your users belong to, as your app sent them in identify or through the server API."
      />
      <div className="card">
        <form role="search" onSubmit={(e) => e.preventDefault()}>
          <TextField
            label="Search"
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Start of a company id or name"
            hint="Matches the beginning of the company id or name; case is ignored."
          />
        </form>
      </div>
      {companies.isError && <ErrorMessage error={companies.error} />}
      {companies.isPending ? (
        <p className="muted" role="status">
          Loading companies…
        </p>
      ) : rows.length === 0 && !companies.isError ? (
        <div className="card">
          <p>{query ? 'No companies match.' : 'No companies yet.'}</p>
          {!query && (
            <p className="muted">Companies appear once your app sends a company with identify, or creates one through the server API.</p>
          )}
        </div>
      ) : (
        rows.length > 0 && (
          <>
            <DataTable
              rows={rows}
              rowKey={(c) => c.companyId}
              busy={companies.isFetching}
              caption={`Companies${query ? ` matching “${query}”` : ''}`}
              columns={[
                {
                  header: 'Company id',
                  cell: (c) => (
                    <Link to={`/w/${workspace.id}/companies/${encodeUserId(c.companyId)}`}>
                      <code>{c.companyId}</code>
                    </Link>
                  ),
                },
                { header: 'Name', cell: (c) => c.name ?? <span className="muted">—</span> },
                {
                  header: 'People',
                  headerClassName: 'companies-numeric',
                  cellClassName: 'companies-numeric',
                  cell: (c) => formatCount(c.people),
                },
                { header: 'First seen', cellClassName: 'small', cell: (c) => formatTime(c.createdAt) },
                { header: 'Updated', cellClassName: 'small', cell: (c) => formatTime(c.updatedAt) },
              ]}
            />
            <LoadMore pages={companies} label="Load more" shown={`${countOf(rows.length, { one: 'company', other: 'companies' })} shown`} />
          </>
        )
      )}
    </>
  );
}
