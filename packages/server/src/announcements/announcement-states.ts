import { sql, type Kysely } from 'kysely';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import { viewerOf, type ViewerSession } from '../identity/viewer-key.js';
import { recordWebhookEvent } from '../webhooks/webhook-outbox.js';
import { rowsByKey } from '../db/batched-query.js';

// Identify's merge of a browser's states: one read for all the identifies of a group transaction.
const statesOfViewer = rowsByKey('announcement_states', 'viewer');

/** What a viewer did with an announcement. */
export type AnnouncementEvent = 'seen' | 'clicked' | 'dismissed';

/** One viewer's state for one announcement: when it was first seen, clicked, dismissed. */
export interface ViewerState {
  seenAt: number | null;
  clickedAt: number | null;
  dismissedAt: number | null;
}

// NOTE: the payload shape is docs/webhooks.md's (announcement.clicked / announcement.dismissed).
const WEBHOOK_TYPE: Record<AnnouncementEvent, 'announcement.clicked' | 'announcement.dismissed' | null> = {
  seen: null,
  clicked: 'announcement.clicked',
  dismissed: 'announcement.dismissed',
};

const COLUMN: Record<AnnouncementEvent, 'seen_at' | 'clicked_at' | 'dismissed_at'> = {
  seen: 'seen_at',
  clicked: 'clicked_at',
  dismissed: 'dismissed_at',
};

/** Seen / clicked / dismissed per announcement and viewer; the first time of each is kept. */
export class AnnouncementStates {
  constructor(private readonly deps: Pick<AppDeps, 'db'>) {}

  /**
   * The states of a session's viewer. For a verified session, what the same
   * browser did while anonymous is merged into the user's state first (and
   * the anonymous rows removed), so a dismissal before login still holds.
   */
  async forSession(workspaceId: string, session: ViewerSession): Promise<Map<string, ViewerState>> {
    const viewer = viewerOf(session);
    const anonymous = `a:${session.anonymousId}`;
    const viewers = viewer.startsWith('v:') ? [viewer, anonymous] : [viewer];
    const rows = await this.deps.db
      .selectFrom('announcement_states')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('viewer', 'in', viewers)
      .execute();
    const out = new Map<string, ViewerState>();
    for (const row of rows) {
      const state = out.get(row.announcement_id);
      out.set(row.announcement_id, {
        seenAt: earliest(state?.seenAt, row.seen_at),
        clickedAt: earliest(state?.clickedAt, row.clicked_at),
        dismissedAt: earliest(state?.dismissedAt, row.dismissed_at),
      });
    }
    const toMerge = rows.filter((r) => r.viewer === anonymous && viewer !== anonymous);
    // Identify merged at login; this catches an event the browser sent with its anonymous session meanwhile.
    if (toMerge.length > 0) await this.deps.db.transaction().execute((trx) => this.merge(trx, workspaceId, viewer, anonymous, rows));
    return out;
  }

  /**
   * Moves what an anonymous id recorded onto the verified user it was just
   * linked to (earliest time of each event kept); called by identify in its
   * transaction.
   */
  async mergeAnonymous(db: Kysely<Database>, workspaceId: string, anonymousId: string, userId: string): Promise<void> {
    const viewer = viewerOf({ state: 'verified', userId, anonymousId });
    const anonymous = `a:${anonymousId}`;
    const anonymousRows = await statesOfViewer.run(db, { workspaceId, value: anonymous });
    if (anonymousRows.length === 0) return;
    const viewerRows = await statesOfViewer.run(db, { workspaceId, value: viewer });
    await this.merge(db, workspaceId, viewer, anonymous, [...viewerRows, ...anonymousRows]);
  }

  /**
   * Records an event (the first time counts; a repeat changes nothing). The
   * first click or dismissal of a viewer also records an
   * `announcement.clicked` / `announcement.dismissed` webhook event in the
   * same transaction; a repeat records none. Returns whether the state changed.
   */
  async record(
    workspaceId: string,
    session: ViewerSession,
    announcement: { id: string; title: string },
    event: AnnouncementEvent,
    now: number,
  ): Promise<boolean> {
    const column = COLUMN[event];
    return this.deps.db.transaction().execute(async (trx) => {
      // The update runs only while the column is empty, and RETURNING answers only for a
      // row inserted or updated: one writer sees the change, even when two race.
      const changed = await trx
        .insertInto('announcement_states')
        .values({
          workspace_id: workspaceId,
          announcement_id: announcement.id,
          viewer: viewerOf(session),
          seen_at: event === 'seen' ? now : null,
          clicked_at: event === 'clicked' ? now : null,
          dismissed_at: event === 'dismissed' ? now : null,
        })
        .onConflict((oc) =>
          oc
            .columns(['workspace_id', 'viewer', 'announcement_id'])
            .doUpdateSet({ [column]: sql`excluded.${sql.ref(column)}` })
            .where(sql.ref(`announcement_states.${column}`), 'is', null),
        )
        .returning('announcement_id')
        .executeTakeFirst();
      if (!changed) return false;
      const type = WEBHOOK_TYPE[event];
      if (type) {
        const userId = session.state !== 'anonymous' && session.userId ? session.userId : null;
        await recordWebhookEvent(
          trx,
          workspaceId,
          type,
          {
            announcement: { id: announcement.id, title: announcement.title },
            user: userId === null ? null : { id: userId },
            anonymous_id: session.anonymousId,
            trust: session.state,
            at: new Date(now).toISOString(),
          },
          now,
        );
      }
      return true;
    });
  }

  // Moves the anonymous rows onto the user, keeping the earliest time of each event.
  private async merge(
    trx: Kysely<Database>,
    workspaceId: string,
    viewer: string,
    anonymous: string,
    rows: Array<Database['announcement_states']>,
  ): Promise<void> {
    const mine = new Map(rows.filter((r) => r.viewer === viewer).map((r) => [r.announcement_id, r]));
    for (const row of rows) {
      if (row.viewer !== anonymous) continue;
      const held = mine.get(row.announcement_id);
      await trx
        .insertInto('announcement_states')
        .values({
          workspace_id: workspaceId,
          announcement_id: row.announcement_id,
          viewer,
          seen_at: earliest(held?.seen_at, row.seen_at),
          clicked_at: earliest(held?.clicked_at, row.clicked_at),
          dismissed_at: earliest(held?.dismissed_at, row.dismissed_at),
        })
        .onConflict((oc) =>
          oc.columns(['workspace_id', 'viewer', 'announcement_id']).doUpdateSet({
            // An event recorded since the read above is kept when the merge has none.
            seen_at: sql`coalesce(excluded.seen_at, announcement_states.seen_at)`,
            clicked_at: sql`coalesce(excluded.clicked_at, announcement_states.clicked_at)`,
            dismissed_at: sql`coalesce(excluded.dismissed_at, announcement_states.dismissed_at)`,
          }),
        )
        .execute();
    }
    await trx.deleteFrom('announcement_states').where('workspace_id', '=', workspaceId).where('viewer', '=', anonymous).execute();
  }
}

function earliest(a: number | null | undefined, b: number | null): number | null {
  if (a === null || a === undefined) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
