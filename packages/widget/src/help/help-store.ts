import type { ApiResult, RecordEvent } from '@lumio/sdk';
import type {
  HelpArticle,
  HelpArticleAnswer,
  HelpArticlesAnswer,
  HelpArticleSummary,
  HelpCollection,
  HelpCollectionsAnswer,
} from '@lumio/protocol/browser';

/** What to list: a collection's articles, the viewer's saved ones, or those a query finds. */
export interface HelpListQuery {
  collection?: string;
  query?: string;
  saved?: boolean;
}

/** Where the help center gets its data; the SDK engine in widget.js, fixtures in tests. */
export interface HelpApi {
  collections(): Promise<ApiResult<HelpCollectionsAnswer>>;
  articles(query: HelpListQuery): Promise<ApiResult<HelpArticlesAnswer>>;
  /** A few articles the server ranks highest for this viewer ("Suggested for you"). */
  suggested(): Promise<ApiResult<HelpArticlesAnswer>>;
  article(idOrSlug: string): Promise<ApiResult<HelpArticleAnswer>>;
  setSaved(id: string, saved: boolean): Promise<ApiResult<unknown>>;
  feedback(id: string, helpful: boolean): Promise<ApiResult<unknown>>;
  /** Records an analytics event (`$article_viewed`, `$article_searched`, `$article_rated`, `$article_saved`). */
  record: RecordEvent;
}

/** How long a search's results stay without a newer search before it counts as one search (`$article_searched`). */
export const SEARCH_SETTLED_MS = 1500;

/** What the Help tab renders from the store: one immutable snapshot per change. */
export interface HelpView {
  /** Changes when the identity did (logout, another user, verified): the UI drops what it held from before. */
  epoch: number;
  /** `idle` until the Help tab is first opened; then `loading`, `ready`, or `failed` (nothing could be fetched). */
  status: 'idle' | 'loading' | 'ready' | 'failed';
  /** In the order the server ranked them for this viewer (pinned ones where the team put them): never re-sorted here. */
  collections: readonly HelpCollection[];
  /** This viewer's saved articles, newest first. */
  saved: readonly HelpArticleSummary[];
  /** "Suggested for you": a few articles ranked for this viewer, best first; empty when there are none (or the call failed). */
  suggested: readonly HelpArticleSummary[];
}

/**
 * The help center's state between the API and the UI: the collections, the
 * viewer's saved articles and the articles suggested for them, fetched lazily (the first time the Help tab
 * opens) and again after identify or logout, plus the calls the UI makes on
 * demand, each recorded as its analytics event once it succeeded. Answers to
 * requests of an earlier identity are dropped; nothing here throws into the
 * host page.
 */
export class HelpStore {
  private current: HelpView = Object.freeze({ epoch: 0, status: 'idle', collections: [], saved: [], suggested: [] });
  private readonly listeners = new Set<(view: HelpView) => void>();
  private started = false;
  private generation = 0;
  // The newest search, and its results waiting to settle before they are recorded.
  private searches = 0;
  private searched: { query: string; results: number } | null = null;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly api: HelpApi) {}

  /** The current snapshot. */
  get view(): HelpView {
    return this.current;
  }

  /** Calls the listener on every change; returns a function that stops it. */
  subscribe(listener: (view: HelpView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The Help tab was opened: fetches the first time, and from then on follows identify and logout. */
  open(): void {
    if (this.started) return;
    this.started = true;
    void this.refresh();
  }

  /** Fetches the collections, the saved and the suggested articles again (once the Help tab was opened); the newest request wins. */
  async refresh(): Promise<void> {
    if (!this.started) return;
    const generation = ++this.generation;
    if (this.current.status !== 'ready') this.update({ status: 'loading' });
    const [collections, saved, suggested] = await Promise.all([
      settle(() => this.api.collections()),
      settle(() => this.api.articles({ saved: true })),
      settle(() => this.api.suggested()),
    ]);
    if (generation !== this.generation) return;
    if (!collections && !saved) return this.update({ status: this.current.status === 'ready' ? 'ready' : 'failed' });
    this.update({
      status: 'ready',
      collections: collections && Array.isArray(collections.collections) ? collections.collections : this.current.collections,
      saved: saved && Array.isArray(saved.articles) ? saved.articles : this.current.saved,
      // Suggestions are extra: a failed call leaves what was there (none after a change of identity), never an error.
      suggested: suggested && Array.isArray(suggested.articles) ? suggested.articles : this.current.suggested,
    });
  }

  /** Drops what the previous identity saw (logout, another user); a refresh follows. */
  clear(): void {
    this.generation++;
    this.searches++;
    this.dropSearch();
    this.update({ epoch: this.current.epoch + 1, status: this.started ? 'loading' : 'idle', collections: [], saved: [], suggested: [] });
  }

  /** Articles of a collection, the saved ones, or search results; null when the call failed. */
  async articles(query: HelpListQuery): Promise<HelpArticleSummary[] | null> {
    const answer = await settle(() => this.api.articles(query));
    return answer && Array.isArray(answer.articles) ? answer.articles : null;
  }

  /**
   * Search results for the search box (null when the call failed). Typing
   * searches again and again: `$article_searched` records only a query whose
   * results stayed SEARCH_SETTLED_MS without a newer search, or led to an article.
   */
  async search(query: string): Promise<HelpArticleSummary[] | null> {
    const mine = ++this.searches;
    this.dropSearch();
    const articles = await this.articles({ query });
    if (articles && mine === this.searches) {
      this.searched = { query, results: articles.length };
      this.settleTimer = setTimeout(() => this.recordSearch(), SEARCH_SETTLED_MS);
    }
    return articles;
  }

  /**
   * One article by id or slug (`$article_viewed`, with `search: true` when it
   * was opened from search results: a search that led to a click, which
   * counts toward the viewer's interests); null when it is not there, not
   * readable by this session, or the call failed.
   */
  async article(idOrSlug: string, from?: { search: boolean }): Promise<HelpArticle | null> {
    // Opening an article settles the search that led to it.
    this.recordSearch();
    const article = (await settle(() => this.api.article(idOrSlug)))?.article ?? null;
    if (article) this.record('$article_viewed', from?.search ? { articleId: article.id, search: true } : { articleId: article.id });
    return article;
  }

  /** Saves or unsaves an article; true once the server recorded it (the saved list follows). */
  async setSaved(article: HelpArticleSummary, saved: boolean): Promise<boolean> {
    const epoch = this.current.epoch;
    if (!(await settle(() => this.api.setSaved(article.id, saved)))) return false;
    this.record('$article_saved', { articleId: article.id, saved });
    if (epoch !== this.current.epoch) return true;
    const others = this.current.saved.filter((a) => a.id !== article.id);
    const { id, slug, title, excerpt, collectionId, updatedAt, tags } = article;
    this.update({ saved: saved ? [{ id, slug, title, excerpt, collectionId, updatedAt, tags, saved: true }, ...others] : others });
    return true;
  }

  /** Answers "Was this helpful?"; true once the server recorded it. */
  async feedback(id: string, helpful: boolean): Promise<boolean> {
    if ((await settle(() => this.api.feedback(id, helpful))) === null) return false;
    this.record('$article_rated', { articleId: id, helpful });
    return true;
  }

  private recordSearch(): void {
    const searched = this.searched;
    this.dropSearch();
    if (searched) this.record('$article_searched', searched);
  }

  private dropSearch(): void {
    clearTimeout(this.settleTimer);
    this.searched = null;
  }

  private readonly record: RecordEvent = (name, ...props) => {
    try {
      this.api.record(name, ...props);
    } catch {
      // Analytics must never break what the user does.
    }
  };

  private update(patch: Partial<HelpView>): void {
    this.current = Object.freeze({ ...this.current, ...patch });
    for (const listener of [...this.listeners]) {
      try {
        listener(this.current);
      } catch {
        // A broken view must not stop the others, nor reach the host page.
      }
    }
  }
}

// The answer, or null when the call failed (the SDK printed its hint) or the API threw.
async function settle<T>(call: () => Promise<ApiResult<T>>): Promise<T | null> {
  try {
    const result = await call();
    return result.ok ? result.value : null;
  } catch {
    return null;
  }
}
