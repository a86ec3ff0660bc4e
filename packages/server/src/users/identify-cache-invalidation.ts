import { sql, type Kysely } from 'kysely';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import type { GroupCommit } from '../db/group-commit.js';
import type { IdentifySnapshotCache } from './identify-snapshot-cache.js';

// Where a process tells the others which identify copies to forget (PostgreSQL only).
const IDENTIFY_CACHE_CHANNEL = 'lumio_identify_cache';
// A NOTIFY payload must stay under 8,000 bytes: past this, the others forget every copy instead.
const MAX_NOTIFY_PAYLOAD = 6000;

/** Which identify copies a write makes stale: users and anonymous links by key, or all of them. */
type Invalidation = { users?: Array<[string, string]>; links?: Array<[string, string]> } | 'all';

/**
 * Keeps identify's in-memory copies (IdentifySnapshotCache) from going stale:
 * every write of a user or link forgets them through {@link invalidate}, and
 * where other processes write too (PostgreSQL), tells them too, inside its
 * own transaction; the copies are used only while this process hears those
 * notifications ({@link listen}).
 *
 * @example
 * const invalidation = new IdentifyCacheInvalidation(deps, snapshots);
 * await invalidation.listen();
 * await invalidation.invalidate(trx, { users: [[workspaceId, userId]] });
 */
export class IdentifyCacheInvalidation {
  private readonly shared: boolean;
  private listening = false;
  // Group-commit transactions (gather) and what their jobs invalidated so far.
  private readonly gathering = new WeakMap<Kysely<Database>, Invalidation[]>();

  constructor(
    private readonly deps: Pick<AppDeps, 'adapter'>,
    private readonly snapshots: IdentifySnapshotCache,
  ) {
    this.shared = !deps.adapter.soleWriter;
  }

  /**
   * Where other processes write (PostgreSQL): starts hearing which copies they
   * made stale. Until then, and whenever the notifications may have been
   * missed (the LISTEN connection dropped), identify reads the database.
   */
  async listen(): Promise<void> {
    if (!this.shared || this.listening) return;
    const notifier = this.deps.adapter.notifier;
    notifier.onGap(() => this.snapshots.invalidateAll());
    await notifier.subscribe(IDENTIFY_CACHE_CHANNEL, (payload) => this.heard(payload));
    this.listening = true;
  }

  /** Whether identify may answer from its copies now: no other process writes, or this one hears them. */
  get usable(): boolean {
    return !this.shared || (this.listening && this.deps.adapter.notifier.live);
  }

  /**
   * Called inside the writing transaction, before the write: forgets this
   * process's copies now (the ticket logic of IdentifySnapshotCache keeps a
   * read that raced the write from storing the old row), and where other
   * processes write, tells them with `pg_notify` in the same transaction.
   * PostgreSQL delivers it when, and only if, the transaction commits, so a
   * crash between commit and a separate NOTIFY can never leave another
   * process holding a stale copy.
   */
  async invalidate(db: Kysely<Database>, what: Invalidation): Promise<void> {
    this.forget(what);
    if (!this.shared) return;
    const gathered = this.gathering.get(db);
    if (gathered) gathered.push(what);
    else await this.notify(db, [what]);
  }

  /**
   * Where other processes write: gathers the invalidations of every job of a
   * group-commit transaction and tells the others once, just before it
   * commits (one `pg_notify` per transaction instead of one per write).
   */
  gather(writes: GroupCommit): void {
    if (!this.shared) return;
    writes.aroundTransactions({
      begin: (trx) => void this.gathering.set(trx, []),
      end: async (trx) => {
        const gathered = this.gathering.get(trx) ?? [];
        this.gathering.delete(trx);
        if (gathered.length > 0) await this.notify(trx, gathered);
      },
    });
  }

  private async notify(db: Kysely<Database>, all: Invalidation[]): Promise<void> {
    const users: Array<[string, string]> = [];
    const links: Array<[string, string]> = [];
    let everything = false;
    for (const what of all) {
      if (what === 'all') everything = true;
      else {
        users.push(...(what.users ?? []));
        links.push(...(what.links ?? []));
      }
    }
    let payload = JSON.stringify(everything ? { all: true } : { users, links });
    if (payload.length > MAX_NOTIFY_PAYLOAD) payload = JSON.stringify({ all: true });
    await sql`select pg_notify(${IDENTIFY_CACHE_CHANNEL}, ${payload})`.execute(db);
  }

  private forget(what: Invalidation): void {
    if (what === 'all') return this.snapshots.invalidateAll();
    for (const [workspaceId, userId] of what.users ?? []) this.snapshots.invalidateUser(workspaceId, userId);
    for (const [workspaceId, anonymousId] of what.links ?? []) this.snapshots.invalidateLink(workspaceId, anonymousId);
  }

  // A notification from any process (this one's own included, after its commit).
  private heard(payload: string): void {
    let what: { users?: unknown; links?: unknown; all?: unknown };
    try {
      what = JSON.parse(payload) as typeof what;
    } catch {
      return this.snapshots.invalidateAll();
    }
    if (what.all === true) return this.snapshots.invalidateAll();
    const pairs = (value: unknown): Array<[string, string]> =>
      Array.isArray(value) ? value.filter((p): p is [string, string] => Array.isArray(p) && p.length === 2) : [];
    this.forget({ users: pairs(what.users), links: pairs(what.links) });
  }
}
