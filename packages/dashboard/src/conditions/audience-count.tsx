import type { AudienceView, PropertiesView } from '@lumio/protocol';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Condition } from '@lumio/targeting';
import { api } from '../api/api-client.js';
import { ErrorMessage } from '../ui/error-message.js';
import { formatCount, formatTime, plural } from '../ui/format.js';
import { useDebouncedValue } from './use-debounced-value.js';

/** How long edits settle before the audience is counted again. */
const DEBOUNCE_MS = 400;

/**
 * How many stored users match a condition now, counted by the server
 * (`POST …/segments/preview`) once edits settle, with a few of them.
 */
export function AudienceCount({
  workspaceId,
  condition,
  valid,
  properties,
  verifiedOnly = false,
}: {
  workspaceId: string;
  condition: Condition | null;
  valid: boolean;
  properties: PropertiesView;
  verifiedOnly?: boolean;
}) {
  // A string key: equal conditions share one request and one cache entry.
  const request = useDebouncedValue(JSON.stringify({ condition: condition ?? {}, properties, verifiedOnly }), DEBOUNCE_MS);
  const query = useQuery({
    queryKey: ['segments', workspaceId, 'preview', request],
    queryFn: ({ signal }) => api<AudienceView>(`/workspaces/${workspaceId}/segments/preview`, { body: JSON.parse(request), signal }),
    enabled: valid,
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  });
  const settling = query.isFetching || request !== JSON.stringify({ condition: condition ?? {}, properties, verifiedOnly });
  return (
    <section className="audience-count card" aria-labelledby="audience-count-title">
      <h3 id="audience-count-title">Audience now</h3>
      <p aria-live="polite" aria-atomic="true" className="audience-number">
        {!valid ? (
          <span className="muted">Fix the condition to count its audience.</span>
        ) : query.data ? (
          <>
            <strong data-testid="audience-count">{formatCount(query.data.count)}</strong>{' '}
            {plural(query.data.count, { one: 'user matches', other: 'users match' })}
            {settling && <span className="muted small"> (updating…)</span>}
          </>
        ) : query.isError ? null : (
          <span className="muted">Counting…</span>
        )}
      </p>
      {valid && query.isError && <ErrorMessage error={query.error} />}
      {valid && query.data && query.data.sample.length > 0 && (
        <details>
          <summary>Some of them</summary>
          <ul className="plain-list small">
            {query.data.sample.map((user) => (
              <li key={user.userId}>
                <code>{user.userId}</code> {user.name && <span>{user.name}</span>}{' '}
                {user.email && <span className="muted">{user.email}</span>}{' '}
                <span className={user.trust === 'verified' ? 'badge badge-ok' : 'badge'}>{user.trust}</span>{' '}
                <span className="muted">last seen {formatTime(user.lastSeenAt)}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      <p className="muted small">Counted over the users Lumio has stored, as of now; the widget checks each session as it loads.</p>
    </section>
  );
}
