import type { ArticleRelevanceAnswer, RelevanceSignalName, UserRecord, UsersAnswer } from '@lumio/protocol';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { api } from '../api/api-client.js';
import { Button } from '../ui/button.js';
import { DataTable } from '../ui/data-table.js';
import { ErrorMessage } from '../ui/error-message.js';
import { TextField } from '../ui/text-field.js';
import { helpKey, helpPath } from './help-center-queries.js';
import { rankLabel } from './rank-label.js';
import { formatNumber } from '../ui/format.js';

// The user search and the query follow the fields after a pause in typing, as on the users page.
const DEBOUNCE_MS = 300;
const USERS_SHOWN = 8;

/** Each signal of the relevance model in words (docs/help-center.md, "Relevance"). */
const SIGNAL_NAMES: Record<RelevanceSignalName, string> = {
  text: 'Text match',
  interest: 'Their interests',
  audience: 'Audience fit',
  peers: 'People like them',
  team: 'Team’s order',
};

/**
 * "Why this ranks here": pick one of the workspace's users (and a search query,
 * if any) and see where this article ranks for them among what they would see,
 * its score, and each signal's weight, value and part of that score, as the
 * server computes them for the widget. Says so when personalisation is off.
 */
export function RelevancePanel({ workspaceId, articleId, version }: { workspaceId: string; articleId: string; version: number }) {
  const [userText, setUserText] = useState('');
  const [userQuery, setUserQuery] = useState('');
  const [user, setUser] = useState<UserRecord | null>(null);
  const [queryText, setQueryText] = useState('');
  const [query, setQuery] = useState('');
  const usersId = useId();
  // Choosing a user replaces the search by their name (and back): focus follows, rather than falling to the page.
  const root = useRef<HTMLElement>(null);
  const moved = useRef(false);
  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    root.current?.querySelector<HTMLElement>(user ? '[data-relevance-change]' : 'input[type="search"]')?.focus();
  }, [user]);

  useEffect(() => {
    const timer = setTimeout(() => setUserQuery(userText.trim()), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [userText]);
  useEffect(() => {
    const timer = setTimeout(() => setQuery(queryText.trim()), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [queryText]);

  const users = useQuery({
    queryKey: ['workspaces', workspaceId, 'users', 'pick', userQuery],
    queryFn: ({ signal }) =>
      api<UsersAnswer>(`/workspaces/${workspaceId}/users/search`, { body: { limit: USERS_SHOWN, query: userQuery }, signal }),
    enabled: userQuery !== '' && user === null,
    placeholderData: keepPreviousData,
  });
  const relevance = useQuery({
    // The article's version in the key: after a save (tags, audience, collection) it is asked again.
    queryKey: [...helpKey(workspaceId), 'relevance', articleId, version, user?.userId, query],
    queryFn: async ({ signal }) => {
      const params = new URLSearchParams({ userId: user!.userId });
      if (query) params.set('query', query);
      const path = `${helpPath(workspaceId)}/articles/${encodeURIComponent(articleId)}/relevance?${params}`;
      // With the query it answers: while the next one loads, the figures shown keep their own words.
      return { ...(await api<ArticleRelevanceAnswer>(path, { signal })), query };
    },
    enabled: user !== null,
    placeholderData: keepPreviousData,
  });

  const choose = (chosen: UserRecord | null) => {
    moved.current = true;
    setUser(chosen);
    if (chosen) setUserText('');
  };
  const answer = user && relevance.data?.userId === user.userId ? relevance.data : undefined;
  const found = users.data?.users ?? [];

  return (
    <section ref={root} className="card stack relevance-panel" aria-labelledby="relevance-title">
      <h2 id="relevance-title">Why this ranks here</h2>
      <p className="muted small">
        Where this article ranks for one user in the widget, and why: the signals of the relevance model, as the server computes them for
        that user’s verified sessions.
      </p>
      {user ? (
        <div className="row">
          <p>
            For <strong>{user.name ?? user.userId}</strong> <code>{user.userId}</code>
          </p>
          <Button data-relevance-change="" onClick={() => choose(null)}>
            Choose another user
          </Button>
        </div>
      ) : (
        <>
          <form role="search" aria-label="Find a user" onSubmit={(e) => e.preventDefault()}>
            <TextField
              label="User"
              type="search"
              value={userText}
              onChange={(e) => setUserText(e.target.value)}
              placeholder="Start of a user id, email or name"
              maxLength={255}
              aria-controls={usersId}
            />
          </form>
          <div id={usersId} aria-live="polite">
            {users.isError && <ErrorMessage error={users.error} />}
            {userQuery !== '' && users.data && found.length === 0 && <p className="muted">No users match.</p>}
            {userQuery !== '' && found.length > 0 && (
              <ul className="relevance-users" aria-label="Matching users">
                {found.map((u) => (
                  <li key={u.userId}>
                    <Button variant="ghost" onClick={() => choose(u)}>
                      {u.name ?? u.userId}
                      <span className="muted small">
                        {' '}
                        {u.userId}
                        {u.email ? ` · ${u.email}` : ''}
                      </span>
                    </Button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </>
      )}
      <TextField
        label="Search query (optional)"
        type="search"
        value={queryText}
        onChange={(e) => setQueryText(e.target.value)}
        maxLength={200}
        hint="Empty: its place in its collection’s list. Otherwise: its place in that user’s search results."
      />
      {relevance.isError && <ErrorMessage error={relevance.error} />}
      {user && !answer && !relevance.isError && (
        <p className="muted" role="status">
          Ranking for {user.userId}…
        </p>
      )}
      {answer && (
        <div className="stack" aria-busy={relevance.isFetching}>
          {!answer.personalised && (
            <p className="notice notice-warning">
              Personalised help is off for this workspace: articles rank by text and the team’s order alone, the same for everyone.
            </p>
          )}
          <p role="status">
            <strong>{rankLabel(answer.rank, answer.of, answer.query)}</strong> · score {formatNumber(answer.score, 3)}
          </p>
          <DataTable
            rows={answer.signals}
            rowKey={(s) => s.signal}
            caption={`Signals of the score of this article for ${user!.userId}`}
            empty="No signal scored this article."
            columns={[
              { header: 'Signal', rowHeader: true, cell: (s) => SIGNAL_NAMES[s.signal] ?? s.signal },
              { header: 'Weight', cellClassName: 'numeric', cell: (s) => formatNumber(s.weight, 2) },
              { header: 'Value', cellClassName: 'numeric', cell: (s) => formatNumber(s.value, 2) },
              { header: 'Contribution', cellClassName: 'numeric', cell: (s) => formatNumber(s.contribution, 3) },
              { header: 'Detail', cell: (s) => s.detail },
            ]}
          />
        </div>
      )}
    </section>
  );
}
