import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { ValueSource } from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import type { UserView } from '../users/users-store.js';
import type { TargetedSession } from '../targeting/session-attributes.js';

/** A user's profile as one session could see it when an event happened. */
export interface ProfileSnapshot {
  userId: string;
  /** The session's trust level (identified or verified). */
  trust: 'identified' | 'verified';
  name: string | null;
  email: string | null;
  birthday: string | null;
  gender: string | null;
  properties: Record<string, unknown>;
  sources: Record<string, ValueSource>;
}

/** The snapshot id of events recorded with no profile (anonymous sessions). */
export const NO_SNAPSHOT = 0;

/** Tells every process that a workspace's snapshots were deleted (user erase), so cached ids go. */
export const SNAPSHOTS_DELETED_CHANNEL = 'lumio_snapshots_deleted';

const TRAITS = ['name', 'email', 'birthday', 'gender'] as const;
const CACHED_SNAPSHOTS = 100_000;

/**
 * The profile an event is recorded under, by the same trust partition as
 * targeting (session-attributes.ts): a verified session sees the whole
 * stored profile (each value keeps its source, so reports can ask for trusted
 * values only); an identified-but-unverified session only the values
 * unverified sessions wrote, since anyone can claim its userId; an anonymous
 * session has none.
 */
export function snapshotOf(session: TargetedSession, user: UserView | null): ProfileSnapshot | null {
  if (session.state === 'anonymous' || !session.userId) return null;
  const trust = session.state;
  const counts = (sourceKey: string) => trust === 'verified' || user?.sources[sourceKey] === 'unverified';
  const snapshot: ProfileSnapshot = {
    userId: session.userId,
    trust,
    name: null,
    email: null,
    birthday: null,
    gender: null,
    properties: {},
    sources: {},
  };
  if (!user) return snapshot;
  for (const trait of TRAITS) {
    const value = user[trait];
    if (value !== null && counts(trait)) {
      snapshot[trait] = value;
      if (user.sources[trait]) snapshot.sources[trait] = user.sources[trait];
    }
  }
  for (const key of Object.keys(user.properties).sort()) {
    const value = user.properties[key];
    const sourceKey = `properties.${key}`;
    if (value === null || value === undefined || !counts(sourceKey)) continue;
    snapshot.properties[key] = value;
    if (user.sources[sourceKey]) snapshot.sources[sourceKey] = user.sources[sourceKey];
  }
  return snapshot;
}

/** A stable digest of a snapshot: equal profiles give equal hashes, whatever the key order. */
export function snapshotHash(snapshot: ProfileSnapshot): string {
  return createHash('sha256').update(canonicalJson(snapshot)).digest('base64url').slice(0, 32);
}

/**
 * Deduplicated profile snapshots: many events share one row, found by hash.
 * Ids are cached per process; rows are never changed, only deleted with
 * their user (erase), which clears the workspace's cached ids everywhere.
 */
export class EventSnapshots {
  private readonly ids = new LRUCache<string, number>({ max: CACHED_SNAPSHOTS });
  // idFor and remember see the same snapshot object: hash it (SHA-256 of its canonical JSON) once per batch, not twice.
  private readonly hashes = new WeakMap<ProfileSnapshot, string>();

  constructor(private readonly deps: Pick<AppDeps, 'adapter' | 'clock'>) {}

  /** Listens for erases in other processes. */
  async start(): Promise<void> {
    await this.deps.adapter.notifier.subscribe(SNAPSHOTS_DELETED_CHANNEL, (workspaceId) => this.forget(workspaceId));
  }

  /**
   * The id of a snapshot, inserting it when new, inside the caller's
   * transaction; `created` says it was new. Hand the answer to {@link remember}
   * once that transaction has committed.
   */
  async idFor(trx: Kysely<Database>, workspaceId: string, snapshot: ProfileSnapshot | null): Promise<{ id: number; created: boolean }> {
    if (!snapshot) return { id: NO_SNAPSHOT, created: false };
    const hash = this.hashOf(snapshot);
    const cached = this.ids.get(`${workspaceId}\u0000${hash}`);
    if (cached !== undefined) return { id: cached, created: false };
    const adapter = this.deps.adapter;
    const inserted = await trx
      .insertInto('event_snapshots')
      .values({
        workspace_id: workspaceId,
        hash,
        user_id: snapshot.userId,
        trust: snapshot.trust,
        name: snapshot.name,
        email: snapshot.email,
        birthday: snapshot.birthday,
        gender: snapshot.gender,
        properties: adapter.json(snapshot.properties) as never,
        sources: adapter.json(snapshot.sources) as never,
        created_at: this.deps.clock.now(),
      })
      .onConflict((oc) => oc.columns(['workspace_id', 'hash']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return { id: Number(inserted.id), created: true };
    {
      const row = await trx
        .selectFrom('event_snapshots')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('hash', '=', hash)
        .executeTakeFirstOrThrow();
      return { id: Number(row.id), created: false };
    }
  }

  /**
   * Caches a snapshot's id after the transaction that found or inserted it
   * committed: an id cached before could name a row a rollback undid.
   */
  remember(workspaceId: string, snapshot: ProfileSnapshot | null, id: number): void {
    if (snapshot) this.ids.set(`${workspaceId}\u0000${this.hashOf(snapshot)}`, id);
  }

  /** Tells this process (at once) and every other one that some of a workspace's snapshots were deleted. */
  async deleted(workspaceId: string): Promise<void> {
    this.forget(workspaceId);
    await this.deps.adapter.notifier.publish(SNAPSHOTS_DELETED_CHANNEL, workspaceId);
  }

  private hashOf(snapshot: ProfileSnapshot): string {
    let hash = this.hashes.get(snapshot);
    if (hash === undefined) this.hashes.set(snapshot, (hash = snapshotHash(snapshot)));
    return hash;
  }

  /** Drops every cached id of a workspace (after its snapshots were deleted). */
  forget(workspaceId: string): void {
    const prefix = `${workspaceId}\u0000`;
    for (const key of this.ids.keys()) if (key.startsWith(prefix)) this.ids.delete(key);
  }
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
