import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import type { IdentifySnapshot } from './identify-snapshot-cache.js';
import type { UsersStore } from './users-store.js';
import { rowsByKey } from '../db/batched-query.js';
import { prepareQuery } from '../db/prepared-query.js';

/** Tells every process that a workspace's aliases changed (a merge or an erase), so cached ones go. */
export const USER_ALIASES_CHANGED_CHANNEL = 'lumio_user_aliases_changed';

const CACHED_ALIASES = 20_000;

/**
 * The old user ids merged into others (`user_aliases`, migration 0022): an
 * old id resolves to the id that survived, for identify and the server API.
 *
 * Looked up only where the id has no user row (a merge deletes the old
 * one), so a repeat identify of an ordinary user never pays for it. Found
 * aliases are kept per process; a merge or an erase forgets the workspace's
 * copies here at once and in every other process through the dialect's
 * notifier. A copy that another process has not yet forgotten can name a
 * survivor that was merged on or erased since: callers that find no row for
 * the answer ask again with `fresh` (see {@link resolveUserId}).
 */
export class UserAliases {
  private readonly cache = new LRUCache<string, string>({ max: CACHED_ALIASES });
  // Every first-time identify asks (prepared); in a group transaction, all that created their user ask at once.
  private readonly byAlias;
  private readonly lookup = rowsByKey(
    'user_aliases',
    'alias_id',
    (db, key) => this.byAlias.run(db, { workspaceId: key.workspaceId, aliasId: key.value }) as Promise<Array<Database['user_aliases']>>,
  );

  constructor(private readonly deps: Pick<AppDeps, 'db' | 'adapter'>) {
    const db = deps.db;
    this.byAlias = prepareQuery(
      db,
      (p) => db.selectFrom('user_aliases').select('user_id').where('workspace_id', '=', p.workspaceId).where('alias_id', '=', p.aliasId),
      ['workspaceId', 'aliasId'],
    );
  }

  /** Listens for merges and erases in other processes. */
  async start(): Promise<void> {
    await this.deps.adapter.notifier.subscribe(USER_ALIASES_CHANGED_CHANNEL, (workspaceId) => this.forget(workspaceId));
  }

  /** The id an old id was merged into, or null when it is no alias; `db` may be a transaction (which skips the cache). */
  async resolve(workspaceId: string, aliasId: string, options: { db?: Kysely<Database>; fresh?: boolean } = {}): Promise<string | null> {
    const key = `${workspaceId}\u0000${aliasId}`;
    const inTransaction = options.db !== undefined;
    if (!inTransaction && !options.fresh) {
      const cached = this.cache.get(key);
      if (cached !== undefined) return cached;
    }
    const survivor = (await this.lookup.run(options.db ?? this.deps.db, { workspaceId, value: aliasId }))[0]?.user_id ?? null;
    // What a transaction read may yet roll back: only committed reads are kept.
    if (!inTransaction) {
      if (survivor !== null) this.cache.set(key, survivor);
      else this.cache.delete(key);
    }
    return survivor;
  }

  /** Tells this process (at once) and every other one that a workspace's aliases changed. */
  async changed(workspaceId: string): Promise<void> {
    this.forget(workspaceId);
    await this.deps.adapter.notifier.publish(USER_ALIASES_CHANGED_CHANNEL, workspaceId);
  }

  /** Drops every cached alias of a workspace. */
  forget(workspaceId: string): void {
    const prefix = `${workspaceId}\u0000`;
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key);
  }
}

/**
 * The user a request for `userId` is about: `userId` itself when it has a
 * user row (`exists`), else the survivor it was merged into, else `userId`
 * (a new user). `exists` is the caller's own read, so an ordinary user costs
 * no alias lookup. A cached alias whose survivor has no row is checked again
 * against the database (another process may have merged or erased since).
 */
export async function resolveUserId(
  aliases: UserAliases,
  workspaceId: string,
  userId: string,
  exists: (userId: string) => Promise<boolean>,
): Promise<string> {
  if (await exists(userId)) return userId;
  const cached = await aliases.resolve(workspaceId, userId);
  if (cached === null) return userId;
  if (await exists(cached)) return cached;
  return (await aliases.resolve(workspaceId, userId, { fresh: true })) ?? userId;
}

/**
 * What identify starts from, with an old id resolved: the surviving user's
 * id and snapshot. Only a missing user row costs an alias lookup, so a
 * repeat identify of an ordinary user is read exactly as before.
 */
export async function identifyTarget(
  users: Pick<UsersStore, 'readForIdentify'>,
  aliases: UserAliases | null,
  workspaceId: string,
  userId: string,
  anonymousId: string,
): Promise<{ userId: string; snapshot: IdentifySnapshot }> {
  let snapshot = await users.readForIdentify(workspaceId, userId, anonymousId);
  if (snapshot.row || !aliases) return { userId, snapshot };
  const snapshots = new Map([[userId, snapshot]]);
  const target = await resolveUserId(aliases, workspaceId, userId, async (id) => {
    let read = snapshots.get(id);
    if (!read) snapshots.set(id, (read = await users.readForIdentify(workspaceId, id, anonymousId)));
    return read.row !== undefined;
  });
  snapshot = snapshots.get(target) ?? (await users.readForIdentify(workspaceId, target, anonymousId));
  return { userId: target, snapshot };
}
