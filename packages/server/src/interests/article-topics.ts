import type { AppDeps } from '../http/app-deps.js';
import { TARGETING_CHANGED_CHANNEL } from '../segments/segments-service.js';
import { topicKey } from './interest-math.js';

/** How long a workspace's topics stay cached without a change notice (the bound on staleness across processes). */
export const ARTICLE_TOPICS_TTL_MS = 60_000;
/** Workspaces whose topics one process keeps at once (least recently loaded dropped first). */
export const ARTICLE_TOPICS_MAX_WORKSPACES = 1_000;
/** Topics one article contributes at most (its collection and its first tags). */
export const MAX_TOPICS_PER_ARTICLE = 21;

/** The CTA link form that names an article: the same `#article/<slug>` as links inside articles. */
const ARTICLE_LINK = '#article/';

/** The topics of a workspace's published articles, and of the announcements whose CTA links to one. */
export interface WorkspaceTopics {
  /** Article id → its topics (collection slug, then tags), normalised by {@link topicKey}. */
  articles: ReadonlyMap<string, readonly string[]>;
  /** Announcement id → the topics of the article its CTA links to (absent: no such link). */
  announcements: ReadonlyMap<string, readonly string[]>;
}

/**
 * Which topics an article touches, per workspace, kept in memory so that
 * ingestion can credit interests without a query per batch. An article's
 * topics are its collection's slug and its tags; an announcement's are those
 * of the article its CTA links to (`https://…#article/<slug or id>`).
 *
 * Dropped on every help-center or announcement change: at once in this
 * process ({@link invalidate}), by the targeting-change notice in the others
 * (LISTEN/NOTIFY on PostgreSQL). A write made with no notice (another
 * process's missed NOTIFY) is seen within {@link ARTICLE_TOPICS_TTL_MS}.
 */
export class ArticleTopics {
  private readonly cache = new Map<string, { loadedAt: number; value: Promise<WorkspaceTopics> }>();

  constructor(private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'adapter'>) {}

  /** Subscribes to change notifications; call once at start-up. */
  async start(): Promise<void> {
    await this.deps.adapter.notifier.subscribe(TARGETING_CHANGED_CHANNEL, (workspaceId) => this.cache.delete(workspaceId));
  }

  /** Drops this process's copy of a workspace's topics (its articles, collections or announcements changed). */
  invalidate(workspaceId: string): void {
    this.cache.delete(workspaceId);
  }

  /** The workspace's topics, loaded once per change (or TTL) and shared by concurrent callers. */
  forWorkspace(workspaceId: string): Promise<WorkspaceTopics> {
    const now = this.deps.clock.now();
    const cached = this.cache.get(workspaceId);
    if (cached && now - cached.loadedAt < ARTICLE_TOPICS_TTL_MS) return cached.value;
    const value = this.load(workspaceId);
    this.cache.delete(workspaceId);
    this.cache.set(workspaceId, { loadedAt: now, value });
    if (this.cache.size > ARTICLE_TOPICS_MAX_WORKSPACES) this.cache.delete(this.cache.keys().next().value!);
    // A failed load is not kept: the next batch tries again.
    value.catch(() => this.cache.get(workspaceId)?.value === value && this.cache.delete(workspaceId));
    return value;
  }

  private async load(workspaceId: string): Promise<WorkspaceTopics> {
    const db = this.deps.db;
    const [collections, articles, announcements] = await Promise.all([
      db.selectFrom('collections').select(['id', 'slug']).where('workspace_id', '=', workspaceId).execute(),
      db
        .selectFrom('articles')
        .select(['id', 'slug', 'collection_id', 'tags'])
        .where('workspace_id', '=', workspaceId)
        .where('status', '=', 'published')
        .execute(),
      db.selectFrom('announcements').select(['id', 'cta']).where('workspace_id', '=', workspaceId).execute(),
    ]);
    const slugOf = new Map(collections.map((c) => [c.id, c.slug]));
    const byId = new Map<string, readonly string[]>();
    const bySlug = new Map<string, readonly string[]>();
    for (const a of articles) {
      const topics = new Set<string>();
      const collection = a.collection_id ? slugOf.get(a.collection_id) : undefined;
      const collectionTopic = collection ? topicKey(collection) : null;
      if (collectionTopic) topics.add(collectionTopic);
      for (const tag of tagsOf(a.tags)) {
        if (topics.size >= MAX_TOPICS_PER_ARTICLE) break;
        const key = topicKey(tag);
        if (key) topics.add(key);
      }
      if (topics.size === 0) continue;
      const list = Object.freeze([...topics]);
      byId.set(a.id, list);
      bySlug.set(a.slug, list);
    }
    const byAnnouncement = new Map<string, readonly string[]>();
    for (const a of announcements) {
      const ref = linkedArticle(a.cta);
      const topics = ref === null ? undefined : (byId.get(ref) ?? bySlug.get(ref));
      if (topics) byAnnouncement.set(a.id, topics);
    }
    return { articles: byId, announcements: byAnnouncement };
  }
}

// A stored tag list: JSON text on SQLite, a parsed value on PostgreSQL; anything but strings is ignored.
function tagsOf(raw: unknown): string[] {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return [];
    }
  }
  return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
}

/** The article (slug or id) an announcement's CTA links to with `#article/<ref>`, else null. */
export function linkedArticle(rawCta: unknown): string | null {
  let cta = rawCta;
  if (typeof rawCta === 'string') {
    try {
      cta = JSON.parse(rawCta);
    } catch {
      return null;
    }
  }
  const url = (cta as { url?: unknown } | null)?.url;
  if (typeof url !== 'string') return null;
  let hash: string;
  try {
    hash = new URL(url).hash;
  } catch {
    return null;
  }
  if (!hash.startsWith(ARTICLE_LINK)) return null;
  try {
    const ref = decodeURIComponent(hash.slice(ARTICLE_LINK.length));
    return ref.length > 0 ? ref : null;
  } catch {
    return null;
  }
}
