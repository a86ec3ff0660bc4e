import type { UsersAnswer } from '@lumio/protocol';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/api-client.js';
import { RuleBuilder } from '../conditions/rule-builder.js';
import { useConditionDraft } from '../conditions/use-condition-draft.js';
import { ApiError } from '../api/api-error.js';
import { Button } from '../ui/button.js';
import { DataTable } from '../ui/data-table.js';
import { ErrorMessage } from '../ui/error-message.js';
import { formatTime } from '../ui/format.js';
import { LoadMore } from '../ui/load-more.js';
import { PageHeader } from '../ui/page-header.js';
import { TextField } from '../ui/text-field.js';
import { useWorkspace } from '../workspaces/use-workspace.js';
import { TrustBadge } from './trust-badge.js';
import { encodeUserId } from './encode-user-id.js';
import './users.css';

const PAGE_SIZE = 50;
// The list follows the search box after a pause in typing, not on every key.
const DEBOUNCE_MS = 300;

/** The workspace's users: search by userId, email or name; filter by a targeting condition; pages of 50. */
export function UsersPage() {
  const workspace = useWorkspace();
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const query = params.get('q') ?? '';
  const applied = params.get('condition');
  const condition = parseCondition(applied);
  const { draft, setDraft, builderKey, apply, clear } = useConditionDraft(applied);
  const values = params.get('values') === 'trusted' ? 'trusted' : 'all';
  const [properties, setProperties] = useState<'all' | 'trusted'>(values);
  // A link or the back button brings its own choice of values, as it brings its condition.
  useEffect(() => setProperties(values), [values]);
  const [tried, setTried] = useState(false);

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

  const users = useInfiniteQuery({
    queryKey: ['workspaces', workspace.id, 'users', 'search', query, applied, values],
    queryFn: ({ pageParam, signal }) =>
      api<UsersAnswer>(`/workspaces/${workspace.id}/users/search`, {
        body: {
          limit: PAGE_SIZE,
          ...(query ? { query } : {}),
          ...(condition !== undefined ? { condition, properties: values } : {}),
          ...(pageParam ? { cursor: pageParam } : {}),
        },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });

  const applyFilter = (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    // The builder shows why beside the rule; nothing is applied until it is fixed.
    if (!draft.valid) return;
    const conditionText = apply();
    if (conditionText === null) return clearFilter();
    setParams((p) => {
      const next = new URLSearchParams(p);
      next.set('condition', conditionText);
      next.set('values', properties);
      return next;
    });
  };
  const clearFilter = () => {
    setTried(false);
    clear();
    setParams((p) => {
      const next = new URLSearchParams(p);
      next.delete('condition');
      next.delete('values');
      return next;
    });
  };

  const conditionError = users.error instanceof ApiError && users.error.code === 'invalid_condition' ? users.error : undefined;
  const rows = users.data?.pages.flatMap((p) => p.users) ?? [];

  return (
    <>
      <PageHeader title="Users" description="The people your apps identified in the widget or sent through the server API." />
      <div className="users-filters card">
        <form role="search" onSubmit={(e) => e.preventDefault()}>
          <TextField
            label="Search"
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Start of a user id, email or name"
            hint="Matches the beginning of the user id, email or name; case is ignored."
          />
        </form>
        <form className="stack" onSubmit={applyFilter} aria-label="Filter by condition">
          <RuleBuilder
            key={builderKey}
            workspaceId={workspace.id}
            initial={draft.condition}
            onChange={setDraft}
            properties={properties}
            onPropertiesChange={setProperties}
            trustedHint="Reads only values from a signed token or the server API, never what a browser claimed."
            serverError={applied === JSON.stringify(draft.condition) ? conditionError : undefined}
          />
          {tried && !draft.valid && (
            <p className="field-error" role="status">
              Fix the condition above to apply it.
            </p>
          )}
          <div className="row">
            <Button type="submit" variant="primary">
              Apply filter
            </Button>
            {applied && <Button onClick={clearFilter}>Clear filter</Button>}
          </div>
        </form>
      </div>
      {users.isError && !conditionError && <ErrorMessage error={users.error} />}
      {users.isPending ? (
        <p className="muted" role="status">
          Loading users…
        </p>
      ) : rows.length === 0 && !users.isError ? (
        <div className="card">
          <p>{query || applied ? 'No users match.' : 'No users yet.'}</p>
          {!query && !applied && (
            <p className="muted">Users appear once your app identifies them in the widget, or sends them through the server API.</p>
          )}
        </div>
      ) : (
        rows.length > 0 && (
          <>
            <DataTable
              rows={rows}
              rowKey={(u) => u.userId}
              busy={users.isFetching}
              caption={`Users${query ? ` matching “${query}”` : ''}${applied ? ', filtered by condition' : ''}`}
              columns={[
                {
                  header: 'User id',
                  cell: (u) => (
                    <Link to={`/w/${workspace.id}/users/${encodeUserId(u.userId)}`}>
                      <code>{u.userId}</code>
                    </Link>
                  ),
                },
                { header: 'Name', cell: (u) => u.name ?? <span className="muted">—</span> },
                { header: 'Email', cell: (u) => u.email ?? <span className="muted">—</span> },
                { header: 'Trust', cell: (u) => <TrustBadge trust={u.trust} /> },
                { header: 'First seen', cellClassName: 'small', cell: (u) => formatTime(u.createdAt) },
                { header: 'Last seen', cellClassName: 'small', cell: (u) => formatTime(u.lastSeenAt) },
              ]}
            />
            <LoadMore pages={users} label="Load more" shown={`${rows.length} user${rows.length === 1 ? '' : 's'} shown`} />
          </>
        )
      )}
    </>
  );
}

// The applied condition travels in the address (shareable); a hand-edited one that is not JSON is ignored.
function parseCondition(text: string | null): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
