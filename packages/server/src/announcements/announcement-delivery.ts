import type { AnnouncementAudience, BannerPlacement, DeliveredAnnouncement } from '@lumio/protocol';
import { readsCompanies, readsInterests, type Predicate } from '@lumio/targeting';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import type { UsersStore } from '../users/users-store.js';
import { TARGETING_CHANGED_CHANNEL, compileChecked, type SegmentsService } from '../segments/segments-service.js';
import { loadSessionAttributes, type SessionAttributes } from '../targeting/session-attributes.js';
import { LumioError } from '../errors/lumio-error.js';
import { audienceOf, ctaOf, placementOf, statusAt } from './announcement.js';
import { combinedCondition } from './announcements-service.js';
import type { ViewerSession } from '../identity/viewer-key.js';
import type { AnnouncementEvent, AnnouncementStates, ViewerState } from './announcement-states.js';
import { InterestsReader } from '../interests/interests-reader.js';

/** The most announcements one answer carries (feed posts included), highest priority first. */
export const MAX_DELIVERED = 100;
// A safety net for a notification lost while the LISTEN connection reconnects.
const MAX_AGE_MS = 60_000;

interface LiveAnnouncement {
  row: Database['announcements'];
  audience: AnnouncementAudience;
  matches: Predicate;
  /** The audience reads `interests.<topic>`: the session's interest levels must be loaded. */
  readsInterests: boolean;
  /** The audience reads `company.<key>`: the session's companies must be loaded. */
  readsCompanies: boolean;
}

/**
 * Decides what one widget session sees. Targeting runs here, on the server,
 * against the user's stored profile as it is now (never against anything the
 * browser sends with the request), so a user outside an audience never
 * receives its content. The published announcements of a workspace are kept
 * compiled in memory and dropped on every change, in every process, by
 * LISTEN/NOTIFY.
 */
export class AnnouncementDelivery {
  private readonly cache = new Map<string, { at: number; value: Promise<LiveAnnouncement[]> }>();
  private readonly interests: InterestsReader;

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'adapter' | 'logger'>,
    private readonly users: UsersStore,
    private readonly segments: SegmentsService,
    private readonly states: AnnouncementStates,
  ) {
    this.interests = new InterestsReader(deps.db);
  }

  /** Subscribes to change notifications; call once at start-up. */
  async start(): Promise<void> {
    await this.deps.adapter.notifier.subscribe(TARGETING_CHANGED_CHANNEL, (workspaceId) => this.cache.delete(workspaceId));
  }

  /** Tells every process (this one at once) that a workspace's announcements or segments changed. */
  async invalidate(workspaceId: string): Promise<void> {
    this.cache.delete(workspaceId);
    await this.deps.adapter.notifier.publish(TARGETING_CHANGED_CHANNEL, workspaceId);
  }

  /**
   * The announcements this session should see now, highest priority first,
   * after frequency rules; a banner without its own placement takes
   * `defaultPlacement` (the showing widget's).
   */
  async forSession(
    workspaceId: string,
    session: ViewerSession,
    defaultPlacement: BannerPlacement = 'overlay',
  ): Promise<DeliveredAnnouncement[]> {
    const now = this.deps.clock.now();
    const live = await this.live(workspaceId);
    const attributes = await this.attributes(workspaceId, session, live, now);
    const targeted = live.filter((a) => this.targets(a, session, attributes, now));
    if (targeted.length === 0) return [];
    const states = await this.states.forSession(workspaceId, session);
    const out: DeliveredAnnouncement[] = [];
    for (const { row } of targeted) {
      const state = states.get(row.id);
      if (state && !stillDue(row, state)) continue;
      out.push(delivered(row, state, defaultPlacement));
    }
    out.sort((a, b) => b.priority - a.priority || b.publishedAt - a.publishedAt || (a.id < b.id ? -1 : 1));
    return out.slice(0, MAX_DELIVERED);
  }

  /**
   * Records that the session saw, clicked or dismissed an announcement. Only
   * an announcement this session is targeted by now can be recorded: any
   * other id is `not_found`, so ids cannot be probed.
   */
  async record(workspaceId: string, session: ViewerSession, announcementId: string, event: AnnouncementEvent): Promise<void> {
    const now = this.deps.clock.now();
    const live = await this.live(workspaceId);
    const attributes = await this.attributes(workspaceId, session, live, now);
    const found = live.find((a) => a.row.id === announcementId);
    if (!found || !this.targets(found, session, attributes, now))
      throw new LumioError('not_found', 'No such announcement for this session.');
    await this.states.record(workspaceId, session, { id: announcementId, title: found.row.title }, event, now);
  }

  /** The session's attributes, with its interest levels and companies only when a live audience reads them (a query fewer otherwise). */
  private attributes(workspaceId: string, session: ViewerSession, live: LiveAnnouncement[], now: number): Promise<SessionAttributes> {
    const interests = live.some((a) => a.readsInterests) ? { reader: this.interests, now } : undefined;
    const companies = live.some((a) => a.readsCompanies) ? { db: this.deps.db } : undefined;
    return loadSessionAttributes(this.users, workspaceId, session, interests, companies);
  }

  private targets(announcement: LiveAnnouncement, session: ViewerSession, attributes: SessionAttributes, now: number): boolean {
    if (statusAt(announcement.row, now) !== 'live') return false;
    const { visibility, properties } = announcement.audience;
    if (visibility === 'verified' && session.state !== 'verified') return false;
    if (visibility === 'identified' && session.state === 'anonymous') return false;
    return announcement.matches(attributes(properties), now);
  }

  private live(workspaceId: string): Promise<LiveAnnouncement[]> {
    const now = this.deps.clock.now();
    const hit = this.cache.get(workspaceId);
    if (hit && now - hit.at < MAX_AGE_MS) return hit.value;
    const value = this.load(workspaceId);
    this.cache.set(workspaceId, { at: now, value });
    value.catch(() => this.cache.delete(workspaceId));
    return value;
  }

  private async load(workspaceId: string): Promise<LiveAnnouncement[]> {
    const [rows, resolver] = await Promise.all([
      this.deps.db
        .selectFrom('announcements')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('state', '=', 'published')
        .execute(),
      this.segments.resolver(workspaceId),
    ]);
    const out: LiveAnnouncement[] = [];
    for (const row of rows) {
      const audience = audienceOf(row);
      try {
        const condition = combinedCondition(audience);
        out.push({
          row,
          audience,
          matches: compileChecked(condition, resolver),
          readsInterests: readsInterests(condition, { segment: resolver }),
          readsCompanies: readsCompanies(condition, { segment: resolver }),
        });
      } catch (error) {
        // Saving checks every audience, so this is a bug or a hand-edited row: skip it, loudly.
        this.deps.logger.error({ err: error, announcementId: row.id }, 'announcement audience does not compile; not delivered');
      }
    }
    return out;
  }
}

// Frequency: "once" ends at the first view, "until dismissed" at a dismissal (or,
// for a popup or banner, a click on its button), "every session" never here (the
// widget forgets a dismissal when the browser session ends).
function stillDue(row: Database['announcements'], state: ViewerState): boolean {
  if (row.frequency === 'once') return state.seenAt === null;
  if (row.frequency === 'until_dismissed') return state.dismissedAt === null && (row.kind === 'post' || state.clickedAt === null);
  return true;
}

function delivered(
  row: Database['announcements'],
  state: ViewerState | undefined,
  defaultPlacement: BannerPlacement,
): DeliveredAnnouncement {
  return {
    id: row.id,
    kind: row.kind as DeliveredAnnouncement['kind'],
    title: row.title,
    html: row.body_html,
    cta: ctaOf(row),
    bannerPosition: row.banner_position as DeliveredAnnouncement['bannerPosition'],
    bannerPlacement: placementOf(row) ?? defaultPlacement,
    frequency: row.frequency as DeliveredAnnouncement['frequency'],
    priority: row.priority,
    publishedAt: row.published_at ?? row.created_at,
    seen: state?.seenAt != null,
    clicked: state?.clickedAt != null,
    dismissed: state?.dismissedAt != null,
  };
}
