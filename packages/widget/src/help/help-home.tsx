import { useEffect, useRef, useState } from 'preact/hooks';
import type { HelpArticleSummary, HelpCollection } from '@lumio/protocol/browser';
import { ArticleList } from './article-list.js';
import type { HelpStore, HelpView } from './help-store.js';

const SEARCH_DELAY_MS = 150;

/** The search box's text and the answer to it. */
export interface SearchState {
  query: string;
  setQuery: (query: string) => void;
  /** The answer to the newest query (null: not searched yet, or the query is empty); `articles` null when it failed. */
  results: { articles: HelpArticleSummary[] | null } | null;
}

/**
 * Search-as-you-type: a query waits SEARCH_DELAY_MS for the next keystroke,
 * only the newest query's answer is shown, and its count is announced.
 */
export function useHelpSearch(store: HelpStore, announce: (text: string) => void): SearchState {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<SearchState['results']>(null);
  const ticket = useRef(0);
  useEffect(() => {
    const mine = ++ticket.current;
    const text = query.trim();
    if (!text) {
      setResults(null);
      return;
    }
    const timer = setTimeout(async () => {
      const articles = await store.search(text);
      if (mine !== ticket.current) return;
      setResults({ articles });
      announce(
        articles === null
          ? 'The search failed. Try again.'
          : articles.length === 0
            ? 'No articles found.'
            : `${articles.length} ${articles.length === 1 ? 'article' : 'articles'} found.`,
      );
    }, SEARCH_DELAY_MS);
    return () => {
      clearTimeout(timer);
      // An answer still on its way after this (a newer query, or the tab closed) is dropped.
      ticket.current++;
    };
  }, [query]);
  return { query, setQuery, results };
}

/** Props of the Help tab's first screen. */
export interface HelpHomeProps {
  view: HelpView;
  search: SearchState;
  /** Opens an article; `from.search` when it was picked from the search results. */
  onOpen: (article: HelpArticleSummary, from?: { search: boolean }) => void;
  onSaved: () => void;
  onCollection: (collection: HelpCollection) => void;
}

/**
 * The Help tab's first screen: the search box and its results, or the Saved
 * entry, "Suggested for you" (only when the server suggests something) and
 * the collections, both in the order the server ranked them for this viewer.
 */
export function HelpHome({ view, search, onOpen, onSaved, onCollection }: HelpHomeProps) {
  const searching = search.query.trim() !== '';
  return (
    <>
      <div class="help-search">
        <input
          type="search"
          class="help-input"
          aria-label="Search help articles"
          placeholder="Search for help"
          autoComplete="off"
          maxLength={200}
          value={search.query}
          data-landing=""
          onInput={(event) => search.setQuery((event.currentTarget as HTMLInputElement).value)}
        />
      </div>
      {searching ? (
        search.results === null ? (
          <p class="empty">Searching…</p>
        ) : search.results.articles === null ? (
          <p class="empty">The search failed. Try again.</p>
        ) : (
          <ArticleList
            articles={search.results.articles}
            empty="No articles found."
            onOpen={(article) => onOpen(article, { search: true })}
          />
        )
      ) : (
        <>
          <ul class="help-list">
            <li class="help-row">
              <button type="button" class="help-row-button" data-nav="saved" onClick={onSaved}>
                Saved articles
              </button>
              <p class="help-row-text">{view.saved.length === 0 ? 'None yet' : countOf(view.saved.length)}</p>
            </li>
          </ul>
          {view.suggested.length > 0 && (
            <>
              <h3 class="help-heading">Suggested for you</h3>
              <ArticleList articles={view.suggested} empty="" onOpen={onOpen} />
            </>
          )}
          <h3 class="help-heading">Collections</h3>
          {view.status === 'loading' || view.status === 'idle' ? (
            <p class="empty">Loading…</p>
          ) : view.status === 'failed' ? (
            <p class="empty">Help articles could not be loaded.</p>
          ) : view.collections.length === 0 ? (
            <p class="empty">No help articles yet.</p>
          ) : (
            <ul class="help-list">
              {view.collections.map((collection) => (
                <li key={collection.id} class="help-row">
                  <button
                    type="button"
                    class="help-row-button"
                    data-nav={`collection:${collection.id}`}
                    aria-describedby={`lumio-collection-${collection.id}`}
                    onClick={() => onCollection(collection)}
                  >
                    {collection.name}
                  </button>
                  <p id={`lumio-collection-${collection.id}`} class="help-row-text">
                    {collection.description ? `${collection.description} · ` : ''}
                    {countOf(collection.articleCount)}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}

function countOf(n: number): string {
  return `${n} ${n === 1 ? 'article' : 'articles'}`;
}
