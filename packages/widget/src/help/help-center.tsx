import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { HelpArticle, HelpArticleSummary, HelpCollection } from '@lumio/protocol/browser';
import { ArticleList } from './article-list.js';
import { ArticleView } from './article-view.js';
import { HelpHome, useHelpSearch } from './help-home.js';
import type { HelpStore, HelpView } from './help-store.js';

/** Props of the Help tab's content. */
export interface HelpCenterProps {
  store: HelpStore;
  view: HelpView;
}

// `search`: the article was opened from the search results (recorded on its `$article_viewed`).
type Screen =
  | { kind: 'home' }
  | { kind: 'collection'; collection: HelpCollection }
  | { kind: 'saved' }
  | { kind: 'article'; ref: string; search?: boolean };

/** A screen in the history, with where it was left: its scroll position and the control that led on (a `data-nav` key). */
interface Entry {
  screen: Screen;
  scroll: number;
  focus: string | null;
}

const HOME: Entry = { screen: { kind: 'home' }, scroll: 0, focus: null };

/**
 * The Help tab: search-as-you-type over the articles (debounced, the newest
 * answer wins, the count announced), the collections and the saved articles,
 * and the article screen. Screens stack up; Back returns to the previous one
 * with its scroll position and focus on the control that left it. Fetches on
 * first display (the store is lazy); key it on the view's epoch so a change of
 * identity starts it afresh.
 */
export function HelpCenter({ store, view }: HelpCenterProps) {
  const body = useRef<HTMLDivElement>(null);
  const [stack, setStack] = useState<Entry[]>([HOME]);
  const [status, setStatus] = useState('');
  // What each screen showed (a collection's articles, an article), so Back shows it again at once.
  const cache = useRef(new Map<string, unknown>());
  const moved = useRef<'forward' | 'back' | null>(null);
  const search = useHelpSearch(store, setStatus);
  const top = stack[stack.length - 1]!;

  useEffect(() => store.open(), [store]);

  useLayoutEffect(() => {
    const container = body.current;
    const direction = moved.current;
    moved.current = null;
    if (!container || !direction) return;
    container.scrollTop = direction === 'forward' ? 0 : top.scroll;
    const target = (direction === 'back' && findNav(container, top.focus)) || container.querySelector<HTMLElement>('[data-landing]');
    target?.focus();
  }, [stack]);

  const go = (screen: Screen, focus: string) => {
    const scroll = body.current?.scrollTop ?? 0;
    cache.current.delete(screenKey(screen));
    moved.current = 'forward';
    setStack((s) => [...s.slice(0, -1), { ...s[s.length - 1]!, scroll, focus }, { screen, scroll: 0, focus: null }]);
  };
  const back = () => {
    moved.current = 'back';
    setStack((s) => (s.length > 1 ? s.slice(0, -1) : s));
  };
  const open = (article: HelpArticleSummary, from?: { search: boolean }) =>
    go({ kind: 'article', ref: article.id, ...(from?.search ? { search: true } : {}) }, `article:${article.id}`);

  let screen;
  if (top.screen.kind === 'collection') {
    screen = (
      <CollectionScreen
        key={stack.length}
        collection={top.screen.collection}
        cache={cache.current}
        store={store}
        onOpen={open}
        onBack={back}
      />
    );
  } else if (top.screen.kind === 'article') {
    const ref = top.screen.ref;
    screen = (
      <ArticleScreen
        key={`${stack.length}:${ref}`}
        reference={ref}
        fromSearch={top.screen.search === true}
        cache={cache.current}
        store={store}
        onBack={back}
        onFollow={(slug, href) => go({ kind: 'article', ref: slug }, `link:${href}`)}
        onChange={(article) => cache.current.set(screenKey(top.screen), article)}
        announce={setStatus}
      />
    );
  } else if (top.screen.kind === 'saved') {
    screen = (
      <>
        <BackBar onBack={back} />
        <h3 class="help-title" tabIndex={-1} data-landing="">
          Saved articles
        </h3>
        <ArticleList articles={view.saved} empty="No saved articles yet. Save an article to find it here." onOpen={open} />
      </>
    );
  } else {
    screen = (
      <HelpHome
        view={view}
        search={search}
        onOpen={open}
        onSaved={() => go({ kind: 'saved' }, 'saved')}
        onCollection={(c) => go({ kind: 'collection', collection: c }, `collection:${c.id}`)}
      />
    );
  }

  return (
    <div ref={body} class="help">
      {screen}
      <p class="sr" role="status">
        {status}
      </p>
    </div>
  );
}

interface CollectionScreenProps {
  collection: HelpCollection;
  cache: Map<string, unknown>;
  store: HelpStore;
  onOpen: (article: HelpArticleSummary) => void;
  onBack: () => void;
}

function CollectionScreen({ collection, cache, store, onOpen, onBack }: CollectionScreenProps) {
  const articles = useCached(cache, screenKey({ kind: 'collection', collection }), () => store.articles({ collection: collection.id }));
  return (
    <>
      <BackBar onBack={onBack} />
      <h3 class="help-title" tabIndex={-1} data-landing="">
        {collection.name}
      </h3>
      {collection.description && <p class="help-intro">{collection.description}</p>}
      {articles === undefined ? (
        <p class="empty">Loading…</p>
      ) : articles === null ? (
        <p class="empty">The articles could not be loaded.</p>
      ) : (
        <ArticleList articles={articles} empty="No articles in this collection." onOpen={onOpen} />
      )}
    </>
  );
}

interface ArticleScreenProps {
  reference: string;
  fromSearch: boolean;
  cache: Map<string, unknown>;
  store: HelpStore;
  onBack: () => void;
  onFollow: (slug: string, href: string) => void;
  onChange: (article: HelpArticle) => void;
  announce: (text: string) => void;
}

function ArticleScreen({ reference, fromSearch, cache, store, onBack, ...rest }: ArticleScreenProps) {
  const article = useCached(cache, screenKey({ kind: 'article', ref: reference }), () => store.article(reference, { search: fromSearch }));
  // Focus waits on "Loading…" while the article comes; removing it would drop focus to the page, so it moves on to the article.
  const waiting = useRef(false);
  const screen = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (article === undefined || !waiting.current) return;
    waiting.current = false;
    const root = screen.current?.getRootNode() as ShadowRoot | Document | undefined;
    if (!root?.activeElement) screen.current?.querySelector<HTMLElement>('[data-landing]')?.focus();
  }, [article]);
  return (
    <div ref={screen}>
      <BackBar onBack={onBack} />
      {article === undefined ? (
        <p
          class="empty"
          tabIndex={-1}
          data-landing=""
          onFocus={() => (waiting.current = true)}
          onBlur={(event) => event.relatedTarget && (waiting.current = false)}
        >
          Loading…
        </p>
      ) : article === null ? (
        <p class="empty" tabIndex={-1} data-landing="">
          This article is not available.
        </p>
      ) : (
        <ArticleView article={article} store={store} {...rest} />
      )}
    </div>
  );
}

function BackBar({ onBack }: { onBack: () => void }) {
  return (
    <div class="help-bar">
      <button type="button" class="help-back" onClick={onBack}>
        <span aria-hidden="true">‹</span> Back
      </button>
    </div>
  );
}

// Reads what a screen shows from the cache, else fetches it once; a screen left meanwhile drops the answer.
function useCached<T>(cache: Map<string, unknown>, key: string, fetch: () => Promise<T>): T | undefined {
  const [value, setValue] = useState<T | undefined>(() => cache.get(key) as T | undefined);
  useEffect(() => {
    if (cache.has(key)) return;
    let alive = true;
    void fetch().then((answer) => {
      cache.set(key, answer);
      if (alive) setValue(answer);
    });
    return () => {
      alive = false;
    };
  }, [key]);
  return value;
}

function screenKey(screen: Screen): string {
  if (screen.kind === 'collection') return `collection:${screen.collection.id}`;
  if (screen.kind === 'article') return `article:${screen.ref}`;
  return screen.kind;
}

// The control that led away from a screen: a row (`data-nav`) or a link between articles (`link:<href>`).
function findNav(container: HTMLElement, key: string | null): HTMLElement | null {
  if (!key) return null;
  if (key.startsWith('link:')) {
    const href = key.slice('link:'.length);
    return Array.from(container.querySelectorAll<HTMLElement>('a[href]')).find((a) => a.getAttribute('href') === href) ?? null;
  }
  return Array.from(container.querySelectorAll<HTMLElement>('[data-nav]')).find((el) => el.dataset.nav === key) ?? null;
}
