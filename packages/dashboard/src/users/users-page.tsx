import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api/api-client.js';
import { ApiError } from '../api/api-error.js';
import { Button } from '../ui/button.js';
import { ErrorMessage } from '../ui/error-message.js';
import { formatTime } from '../ui/format.js';
import { PageHeader } from '../ui/page-header.js';
import { SelectField } from '../ui/select-field.js';
import { TextField } from '../ui/text-field.js';
import { TextareaField } from '../ui/textarea-field.js';
import { useWorkspace } from '../workspaces/use-workspace.js';
import { TrustBadge } from './trust-badge.js';
import type { UsersPage as UsersPageAnswer } from './users-types.js';
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
  const [conditionText, setConditionText] = useState(params.get('condition') ?? '');
  const [properties, setProperties] = useState<'all' | 'trusted'>(params.get('values') === 'trusted' ? 'trusted' : 'all');
  const [jsonError, setJsonError] = useState<string | undefined>();
  const applied = params.get('condition');

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

  const condition = parseCondition(applied);
  const values = params.get('values') === 'trusted' ? 'trusted' : 'all';
  const users = useInfiniteQuery({
    queryKey: ['workspaces', workspace.id, 'users', 'search', query, applied, values],
    queryFn: ({ pageParam, signal }) =>
      api<UsersPageAnswer>(`/workspaces/${workspace.id}/users/search`, {
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
    if (!conditionText.trim()) return clearFilter();
    let parsed: unknown;
    try {
      parsed = JSON.parse(conditionText);
    } catch {
      setJsonError('This is not valid JSON. Example: { "plan": "pro", "seats": { "$gte": 5 } }');
      return;
    }
    setJsonError(undefined);
    setParams((p) => {
      const next = new URLSearchParams(p);
      next.set('condition', JSON.stringify(parsed));
      next.set('values', properties);
      return next;
    });
  };
  const clearFilter = () => {
    setJsonError(undefined);
    setConditionText('');
    setParams((p) => {
      const next = new URLSearchParams(p);
      next.delete('condition');
      next.delete('values');
      return next;
    });
  };

  const conditionError = users.error instanceof ApiError && users.error.code === 'invalid_condition' ? users.error.message : undefined;
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
          <TextareaField
            label="Condition (JSON)"
            className="json"
            value={conditionText}
            onChange={(e) => setConditionText(e.target.value)}
            placeholder='{ "plan": "pro", "trust": "verified" }'
            hint="A targeting condition over standard traits, custom properties, userId and trust. $segment works too."
            error={jsonError ?? conditionError}
            spellCheck={false}
            rows={3}
          />
          <div className="row">
            <SelectField
              label="Values the condition may use"
              value={properties}
              onChange={(e) => setProperties(e.target.value as 'all' | 'trusted')}
              options={[
                ['all', 'All stored values'],
                ['trusted', 'Only trusted values'],
              ]}
            />
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
            <div className="table-wrap" aria-busy={users.isFetching}>
              <table>
                <caption className="sr-only">
                  Users{query ? ` matching “${query}”` : ''}
                  {applied ? ', filtered by condition' : ''}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">User id</th>
                    <th scope="col">Name</th>
                    <th scope="col">Email</th>
                    <th scope="col">Trust</th>
                    <th scope="col">First seen</th>
                    <th scope="col">Last seen</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((u) => (
                    <tr key={u.userId}>
                      <td>
                        <Link to={`/w/${workspace.id}/users/${encodeUserId(u.userId)}`}>
                          <code>{u.userId}</code>
                        </Link>
                      </td>
                      <td>{u.name ?? <span className="muted">—</span>}</td>
                      <td>{u.email ?? <span className="muted">—</span>}</td>
                      <td>
                        <TrustBadge trust={u.trust} />
                      </td>
                      <td className="small">{formatTime(u.createdAt)}</td>
                      <td className="small">{formatTime(u.lastSeenAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div className="row pager">
              <span className="muted small" aria-live="polite">
                {rows.length} user{rows.length === 1 ? '' : 's'} shown
              </span>
              {users.hasNextPage && (
                <Button onClick={() => void users.fetchNextPage()} busy={users.isFetchingNextPage}>
                  Load more
                </Button>
              )}
            </div>
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
