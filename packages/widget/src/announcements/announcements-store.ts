import type { ApiResult, RecordEvent } from '@lumio/sdk';
import { DEFAULT_THEME, themeFromAppearance, type Theme } from '../theme/theme.js';
import type { DeliveredAnnouncement as Announcement, AnnouncementEventType, AnnouncementsAnswer } from '@lumio/protocol/browser';
import { chooseAnnouncements } from './choose-announcements.js';
import type { SessionDismissals } from './session-dismissals.js';

/** Where the store gets announcements and reports what the user did; the SDK engine in widget.js, fixtures in tests. */
export interface AnnouncementsApi {
  list(): Promise<ApiResult<AnnouncementsAnswer>>;
  send(id: string, type: AnnouncementEventType): Promise<unknown>;
  /** Who is looking now (the anonymous id, which logout and a new user replace): keys the session's dismissals. */
  identity(): string;
  /** Records an analytics event (`$announcement_shown`, `_clicked`, `_dismissed`). */
  record: RecordEvent;
}

/** What the UI renders: one immutable snapshot per change. */
export interface WidgetView {
  /** False until the first answer arrived: nothing is drawn before. */
  loaded: boolean;
  theme: Theme;
  popup: Announcement | null;
  banner: Announcement | null;
  posts: readonly Announcement[];
  /** Posts this user has not seen yet (the launcher's badge). */
  unread: number;
}

const EMPTY_VIEW: WidgetView = Object.freeze({ loaded: false, theme: DEFAULT_THEME, popup: null, banner: null, posts: [], unread: 0 });

/**
 * The widget's state between the API and the UI: fetches what this session
 * may see, chooses what to show, and reports `seen`, `clicked` and
 * `dismissed` (recording them as the analytics events `$announcement_shown`,
 * `$announcement_clicked` and `$announcement_dismissed` too). A failed fetch
 * keeps what is shown (the SDK printed its hint); nothing here throws into
 * the host page.
 */
export class AnnouncementsStore {
  private current: WidgetView = EMPTY_VIEW;
  private announcements: readonly Announcement[] = [];
  private readonly listeners = new Set<(view: WidgetView) => void>();
  // Per page and identity: what this page already reported or closed.
  private readonly seenHere = new Set<string>();
  private readonly dismissedHere = new Set<string>();
  // Answers to an older request (before a logout, say) are dropped.
  private generation = 0;

  constructor(
    private readonly api: AnnouncementsApi,
    private readonly dismissals: SessionDismissals,
  ) {}

  /** The current snapshot. */
  get view(): WidgetView {
    return this.current;
  }

  /** Calls the listener on every change; returns a function that stops it. */
  subscribe(listener: (view: WidgetView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Fetches again (after init, identify or logout); the newest request wins. */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    let result: ApiResult<AnnouncementsAnswer>;
    try {
      result = await this.api.list();
    } catch {
      return;
    }
    if (generation !== this.generation || !result.ok) return;
    const answer = result.value;
    this.announcements = Array.isArray(answer?.announcements) ? answer.announcements : [];
    this.update(themeFromAppearance(answer?.appearance), true);
  }

  /** Drops everything shown for the previous identity (logout), keeping the launcher's look; a refresh follows. */
  clear(): void {
    this.generation++;
    this.announcements = [];
    this.seenHere.clear();
    this.dismissedHere.clear();
    this.update(this.current.theme, this.current.loaded);
  }

  /** The UI displayed an announcement: reports `seen` and records `$announcement_shown` once per page (and identity). */
  seen(id: string): void {
    const announcement = this.find(id);
    if (!announcement || this.seenHere.has(id)) return;
    this.seenHere.add(id);
    this.record('$announcement_shown', id);
    // A post the server knows as seen is not news; a popup or banner counts each time it is shown.
    if (!(announcement.kind === 'post' && announcement.seen)) this.send(id, 'seen');
    if (announcement.kind === 'post') this.update(this.current.theme, true);
  }

  /** The user followed the call to action. */
  clicked(id: string): void {
    if (!this.find(id)) return;
    this.send(id, 'clicked');
    this.record('$announcement_clicked', id);
  }

  /** The user closed a popup or banner: it stays closed (for `every_session`, until the browser session ends). */
  dismiss(id: string): void {
    const announcement = this.find(id);
    if (!announcement || this.dismissedHere.has(id)) return;
    this.dismissedHere.add(id);
    if (announcement.frequency === 'every_session') this.dismissals.add(this.api.identity(), id);
    this.send(id, 'dismissed');
    this.record('$announcement_dismissed', id);
    this.update(this.current.theme, true);
  }

  private find(id: string): Announcement | undefined {
    return this.announcements.find((a) => a.id === id);
  }

  private send(id: string, type: AnnouncementEventType): void {
    // Reporting is best effort: the user's action already happened on screen.
    void Promise.resolve()
      .then(() => this.api.send(id, type))
      .catch(() => undefined);
  }

  private record(name: '$announcement_shown' | '$announcement_clicked' | '$announcement_dismissed', announcementId: string): void {
    try {
      this.api.record(name, { announcementId });
    } catch {
      // Analytics must never break what the user sees.
    }
  }

  private update(theme: Theme, loaded: boolean): void {
    const identity = this.api.identity();
    const chosen = chooseAnnouncements(
      this.announcements,
      (a) => this.dismissedHere.has(a.id) || (a.frequency === 'every_session' && this.dismissals.has(identity, a.id)),
    );
    const unread = chosen.posts.filter((p) => !p.seen && !this.seenHere.has(p.id)).length;
    this.current = Object.freeze({ loaded, theme, ...chosen, unread });
    for (const listener of [...this.listeners]) {
      try {
        listener(this.current);
      } catch {
        // A broken view must not stop the others, nor reach the host page.
      }
    }
  }
}
