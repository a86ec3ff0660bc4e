import type { StoredEvent, UserEventView } from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';

// The built-in events whose object is an announcement's or an article's id (protocol's BuiltInEvents).
const KIND_OF: Record<string, 'announcement' | 'article'> = {
  $announcement_shown: 'announcement',
  $announcement_clicked: 'announcement',
  $announcement_dismissed: 'announcement',
  $article_viewed: 'article',
  $article_rated: 'article',
  $article_saved: 'article',
};

const TABLES = { announcement: 'announcements', article: 'articles' } as const;

/**
 * Names what a user's events are about: the title of the announcement or
 * article an event's object is, looked up in the workspace with one query
 * per kind for a whole page (never one per event). An id of another
 * workspace, or of something deleted since, gets a null title.
 */
export class EventSubjects {
  constructor(private readonly deps: Pick<AppDeps, 'db'>) {}

  /** The page of events, each with its subject (null for an event about nothing nameable). */
  async name(workspaceId: string, events: StoredEvent[]): Promise<UserEventView[]> {
    const ids = { announcement: new Set<string>(), article: new Set<string>() };
    for (const event of events) {
      const kind = KIND_OF[event.name];
      if (kind && event.object !== null) ids[kind].add(event.object);
    }
    const titles = new Map<string, string>();
    for (const kind of ['announcement', 'article'] as const) {
      if (ids[kind].size === 0) continue;
      const rows = await this.deps.db
        .selectFrom(TABLES[kind])
        .select(['id', 'title'])
        .where('workspace_id', '=', workspaceId)
        .where('id', 'in', [...ids[kind]])
        .execute();
      for (const row of rows) titles.set(`${kind}:${row.id}`, row.title);
    }
    return events.map((event) => {
      const kind = KIND_OF[event.name];
      if (!kind || event.object === null) return { ...event, subject: null };
      return { ...event, subject: { kind, id: event.object, title: titles.get(`${kind}:${event.object}`) ?? null } };
    });
  }
}
