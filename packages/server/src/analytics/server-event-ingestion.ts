import { validateServerEvent, type ServerEvent, type ServerEventBatchAnswer, type ServerEventResult } from '@lumio/protocol';
import type { Kysely } from 'kysely';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import type { GroupCommit } from '../db/group-commit.js';
import type { UsersStore } from '../users/users-store.js';
import type { CompaniesStore } from '../companies/companies-store.js';
import { NO_SNAPSHOT, snapshotOf, type EventSnapshots, type ProfileSnapshot } from './event-snapshots.js';
import { companyPersonOf, personOf, type EventRow, type EventStore } from './event-store.js';
import type { IngestionQuota } from './ingestion-quota.js';
import type { OnNewSnapshot } from './event-ingestion.js';
import { countStored, eventsOf, screenBatch, takeQuota } from './event-batch.js';

/** The `widget_id` of events the server API recorded: no widget saw them. */
export const SERVER_EVENT_WIDGET = '$server';

const DAY_MS = 86_400_000;

/**
 * The server API's event intake (POST /server/v1/events): a host backend's
 * events for a user and/or a company, trusted (the API key proves the
 * workspace). Shares the widget intake's steps (event-batch.ts): each event is
 * checked on its own with the widget's validator, the batch takes the same
 * quota, event ids deduplicate against every stored event of the workspace,
 * and the answer comes after the commit.
 *
 * - A userId not stored yet is created with an empty profile (like a first
 *   identify), so the event is attributed and reports can join it; an id
 *   merged into another (user_aliases) is recorded as the surviving user.
 * - Each user's events carry a snapshot of the user's whole stored profile
 *   as the server saw it when the batch arrived, recorded as `verified`.
 * - A company named by an event is created empty when unknown; the event
 *   keeps it in `company_id`. An event with a company and no user is the
 *   company's own (`person` = `c:<id>`, no snapshot).
 */
export class ServerEventIngestion {
  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'metrics'>,
    private readonly users: Pick<UsersStore, 'get' | 'applyProfile'>,
    private readonly companies: Pick<CompaniesStore, 'upsert'>,
    private readonly snapshots: EventSnapshots,
    private readonly store: EventStore,
    private readonly writes: GroupCommit,
    private readonly quota: IngestionQuota,
    private readonly onNewSnapshot: OnNewSnapshot = () => {},
  ) {}

  async ingest(workspaceId: string, body: unknown): Promise<ServerEventBatchAnswer> {
    const metrics = this.deps.metrics;
    const events = eventsOf(body, metrics);
    const now = this.deps.clock.now();
    const maxAgeMs = (await this.retentionDays(workspaceId)) * DAY_MS;
    const screened = screenBatch(events, (input) => validateServerEvent(input, now, maxAgeMs), metrics);
    const results: ServerEventResult[] = [
      ...screened.rejected.map((r) => ({ ...r, status: 'rejected' as const })),
      ...screened.repeats.map((r) => ({ ...r, status: 'duplicate' as const })),
    ];
    const answer: ServerEventBatchAnswer = { accepted: 0, duplicates: screened.repeats.length, rejected: screened.rejected, results };
    const valid = screened.valid.map((v) => v.event);
    if (valid.length > 0) {
      await takeQuota(this.quota, metrics, workspaceId, valid.length, now);
      const { inserted, snapshots } = await this.writes.submit((trx) => this.write(trx, workspaceId, valid, now), workspaceId);
      for (const { snapshot, id, created } of snapshots) {
        this.snapshots.remember(workspaceId, snapshot, id);
        if (created) this.onNewSnapshot(workspaceId, snapshot, now);
      }
      for (const { index, event } of screened.valid) {
        results.push({ index, id: event.id, status: inserted.has(event.id) ? 'accepted' : 'duplicate' });
      }
      answer.accepted = inserted.size;
      answer.duplicates += valid.length - inserted.size;
      countStored(metrics, valid.length, inserted.size);
    }
    results.sort((a, b) => a.index - b.index);
    return answer;
  }

  private async write(
    trx: Kysely<Database>,
    workspaceId: string,
    valid: readonly ServerEvent[],
    now: number,
  ): Promise<{ inserted: Set<string>; snapshots: Array<{ snapshot: ProfileSnapshot; id: number; created: boolean }> }> {
    // One profile read and snapshot per user of the batch, not per event.
    const subjects = new Map<string, { userId: string; snapshotId: number }>();
    const snapshots: Array<{ snapshot: ProfileSnapshot; id: number; created: boolean }> = [];
    for (const userId of new Set(valid.flatMap((e) => (e.userId === null ? [] : [e.userId])))) {
      const user = await this.userFor(trx, workspaceId, userId);
      const snapshot = snapshotOf({ state: 'verified', userId: user.userId }, user)!;
      const { id, created } = await this.snapshots.idFor(trx, workspaceId, snapshot);
      snapshots.push({ snapshot, id, created });
      subjects.set(userId, { userId: user.userId, snapshotId: id });
    }
    // An unknown company is created empty (trusted source: it comes from the host's backend).
    for (const companyId of new Set(valid.flatMap((e) => (e.companyId === null ? [] : [e.companyId])))) {
      await this.companies.upsert(trx, workspaceId, { id: companyId }, 'trusted', now);
    }
    const rows: EventRow[] = valid.map((e) => {
      const subject = e.userId === null ? null : subjects.get(e.userId)!;
      return {
        workspaceId,
        eventId: e.id,
        widgetId: SERVER_EVENT_WIDGET,
        name: e.name,
        at: e.at,
        person: subject ? personOf(subject.userId, '') : companyPersonOf(e.companyId!),
        userId: subject?.userId ?? null,
        anonymousId: '',
        trust: 'verified',
        snapshotId: subject?.snapshotId ?? NO_SNAPSHOT,
        object: null,
        props: e.props,
        companyId: e.companyId,
      };
    });
    return { inserted: await this.store.insert(trx, rows, now), snapshots };
  }

  /** The stored user an event names: itself, the user it was merged into, or a new empty user. */
  private async userFor(trx: Kysely<Database>, workspaceId: string, userId: string) {
    const stored = await this.users.get(workspaceId, userId, trx);
    if (stored) return stored;
    const alias = await trx
      .selectFrom('user_aliases')
      .select('user_id')
      .where('workspace_id', '=', workspaceId)
      .where('alias_id', '=', userId)
      .executeTakeFirst();
    const merged = alias ? await this.users.get(workspaceId, alias.user_id, trx) : null;
    if (merged) return merged;
    return (await this.users.applyProfile(trx, workspaceId, userId, [], 'identified')).user;
  }

  private async retentionDays(workspaceId: string): Promise<number> {
    const row = await this.deps.db
      .selectFrom('workspaces')
      .select('analytics_retention_days')
      .where('id', '=', workspaceId)
      .executeTakeFirst();
    return row?.analytics_retention_days ?? 365;
  }
}
