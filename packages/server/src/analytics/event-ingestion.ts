import { validateAnalyticsEvent, type EventBatchAnswer } from '@lumio/protocol';
import type { Kysely } from 'kysely';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import type { GroupCommit } from '../db/group-commit.js';
import type { SessionClaims } from '../identity/session-tokens.js';
import type { UsersStore } from '../users/users-store.js';
import type { WidgetRuntime } from '../widgets/widget-registry.js';
import { snapshotOf, type EventSnapshots, type ProfileSnapshot } from './event-snapshots.js';
import { personOf, type EventRow, type EventStore } from './event-store.js';
import type { IngestionQuota } from './ingestion-quota.js';
import { countStored, eventsOf, screenBatch, takeQuota } from './event-batch.js';
import { viewerOf } from '../identity/viewer-key.js';
import type { ArticleTopics, WorkspaceTopics } from '../interests/article-topics.js';
import { INTEREST_EVENT_NAMES, topicDeltas, type InterestWriter, type TopicDelta } from '../interests/interest-writer.js';
import type { InterestBuffer } from '../interests/interest-buffer.js';

/** Told about each new profile snapshot (the property catalogue learns keys from them). */
export type OnNewSnapshot = (workspaceId: string, snapshot: ProfileSnapshot, at: number) => void;

/** What ingestion needs to keep interest profiles: the article → topics cache and the writer. */
export interface IngestionInterests {
  topics: Pick<ArticleTopics, 'forWorkspace'>;
  writer: Pick<InterestWriter, 'add'>;
  /** When set, what a batch credits is queued after its commit and written with others (LUMIO_INTEREST_FLUSH_MS); else in the batch's transaction. */
  buffer: Pick<InterestBuffer, 'add'> | null;
}

/**
 * The widget's event intake: checks each event of a batch on its own (a bad
 * one is refused with its code, the rest are kept), takes the batch from the
 * workspace's quota, attributes every event to the session's identity (never
 * to ids the browser names), snapshots the profile the session could see, and
 * answers only after the events are committed (durable: DESIGN.md).
 *
 * Events about articles and announcements also credit the session's own
 * interest profile (its trust partition: identity/viewer-key.ts), only for
 * the events actually inserted (a retried batch counts once): queued after the
 * commit for the interest buffer, or written in the same transaction.
 */
export class EventIngestion {
  constructor(
    private readonly deps: Pick<AppDeps, 'clock' | 'metrics' | 'adapter'>,
    private readonly users: Pick<UsersStore, 'get' | 'linkedUser' | 'touchLastSeen'>,
    private readonly snapshots: EventSnapshots,
    private readonly store: EventStore,
    private readonly writes: GroupCommit,
    private readonly quota: IngestionQuota,
    private readonly onNewSnapshot: OnNewSnapshot = () => {},
    private readonly interests: IngestionInterests | null = null,
  ) {}

  async ingest(widget: WidgetRuntime, session: SessionClaims, body: unknown): Promise<EventBatchAnswer> {
    const metrics = this.deps.metrics;
    const events = eventsOf(body, metrics);
    const now = this.deps.clock.now();
    const screened = screenBatch(events, (input) => validateAnalyticsEvent(input, now), metrics);
    const answer: EventBatchAnswer = { accepted: 0, duplicates: screened.repeats.length, rejected: screened.rejected };
    const valid = screened.valid.map((v) => v.event);
    if (valid.length === 0) return answer;
    await takeQuota(this.quota, metrics, widget.workspaceId, valid.length, now);

    const workspaceId = widget.workspaceId;
    const user = session.state !== 'anonymous' && session.userId ? await this.users.get(workspaceId, session.userId) : null;
    const snapshot = snapshotOf(session, user);
    // Loaded before the transaction (a cache miss reads the database, which the
    // writing connection must not wait on), and only when some event may count.
    const topics: WorkspaceTopics | null =
      this.interests && valid.some((e) => INTEREST_EVENT_NAMES.has(e.name)) ? await this.interests.topics.forWorkspace(workspaceId) : null;
    const viewer = viewerOf(session);
    const { inserted, snapshotId, created, credited } = await this.writes.submit(async (trx) => {
      const identity = await this.identityOf(trx, session);
      const { id: snapshotId, created } = await this.snapshots.idFor(trx, workspaceId, snapshot);
      const rows: EventRow[] = valid.map((e) => ({
        workspaceId,
        eventId: e.id,
        widgetId: widget.id,
        name: e.name,
        at: e.at,
        person: personOf(identity.userId, session.anonymousId),
        userId: identity.userId,
        anonymousId: session.anonymousId,
        trust: identity.trust,
        snapshotId,
        object: e.object,
        props: e.props,
      }));
      const inserted = await this.store.insert(trx, rows, now);
      // The user's "last seen" moves with their activity, in the same commit as the events:
      // the newest event's time, never ahead of the server's clock (browser clocks run fast).
      if (identity.userId && inserted.size > 0) {
        const newest = Math.min(now, Math.max(...rows.filter((r) => inserted.has(r.eventId)).map((r) => r.at)));
        await this.users.touchLastSeen(trx, workspaceId, identity.userId, newest);
      }
      let credited: TopicDelta[] = [];
      if (topics && inserted.size > 0) {
        const counted = valid.filter((e) => INTEREST_EVENT_NAMES.has(e.name) && inserted.has(e.id));
        credited = topicDeltas(counted, topics);
        // The session's own partition: an unverified claimant never reaches `v:` rows.
        if (!this.interests!.buffer) await this.interests!.writer.add(trx, workspaceId, viewer, credited, now);
      }
      return { inserted, snapshotId, created, credited };
    }, `${workspaceId}\u0000${session.anonymousId}`);
    // Only once the events are committed: a batch that fails credits nothing.
    this.interests?.buffer?.add(workspaceId, viewer, credited, now);
    this.snapshots.remember(workspaceId, snapshot, snapshotId);
    if (created && snapshot) this.onNewSnapshot(workspaceId, snapshot, now);
    answer.accepted = inserted.size;
    answer.duplicates += valid.length - inserted.size;
    countStored(metrics, valid.length, inserted.size);
    return answer;
  }

  /**
   * Who the events are attributed to: the session's user; or, for an
   * anonymous session whose id an earlier identify linked, that user, read in
   * the writing transaction so an identify committed before it is seen. The
   * trust is always the session's own: an anonymous session's events are
   * recorded as anonymous even when the link says whose they are.
   */
  private async identityOf(
    trx: Kysely<Database>,
    session: SessionClaims,
  ): Promise<{ userId: string | null; trust: 'anonymous' | 'identified' | 'verified' }> {
    if (session.state !== 'anonymous' && session.userId) return { userId: session.userId, trust: session.state };
    const link = await this.users.linkedUser(session.workspaceId, session.anonymousId, trx);
    return { userId: link?.userId ?? null, trust: 'anonymous' };
  }
}
