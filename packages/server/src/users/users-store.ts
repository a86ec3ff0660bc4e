import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { PropertiesInput, StandardTraits, TrustLevel, UserRecord, ValueSource } from '@lumio/protocol';
import { userViewerKeys } from '../identity/viewer-key.js';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import { parseJson } from '../db/schema.js';
import { USER_SEARCH_COLUMNS } from '../db/migrations/0009-user-search.js';
import type { DialectName } from '../db/dialects/dialect-adapter.js';
import { emptyProfile, mergeProfile, type StoredProfile } from './profile-merge.js';
import { IdentifySnapshotCache, type IdentifySnapshot, type LinkRow } from './identify-snapshot-cache.js';
import { IdentifyCacheInvalidation } from './identify-cache-invalidation.js';
import { recordUserErased } from './user-webhooks.js';
import type { GroupCommit } from '../db/group-commit.js';
import { identifyStatements, type IdentifyStatements, type NewUser } from './identify-statements.js';

/** A user as the server API returns it. */
export type UserView = UserRecord;

type UserRow = Database['users'];

/** One set of profile values from one source. */
export interface ProfileUpdate {
  traits: StandardTraits;
  properties: PropertiesInput;
  source: ValueSource;
}

// last_seen_at is for "active recently" views; an hour's resolution saves a write on every page load.
const LAST_SEEN_RESOLUTION_MS = 3600_000;
/** How far behind their newest event a user's last-seen time may lag (events move it, at most one write a minute). */
export const LAST_SEEN_ACTIVITY_RESOLUTION_MS = 60_000;

/**
 * Storage of users (one per userId per workspace) and the links from
 * anonymous ids to users. Every query is scoped by workspace id.
 */
export class UsersStore {
  // Identify's statements, compiled once (identify-statements.ts).
  private readonly hot: IdentifyStatements['hot'];
  // Identify's in-memory copies. Where other processes write too (PostgreSQL), every write also tells them,
  // inside its own transaction, which copies to forget, and the copies are used only while this process
  // hears those notifications (identify-cache-invalidation.ts).
  private readonly snapshots = new IdentifySnapshotCache();
  private readonly invalidation: IdentifyCacheInvalidation;
  // Bound once: identify counts every read without building a label object.
  private readonly readFrom;
  private readonly batched: IdentifyStatements['batched'];

  constructor(private readonly deps: Pick<AppDeps, 'db' | 'adapter' | 'clock' | 'metrics'>) {
    const db = deps.db;
    this.invalidation = new IdentifyCacheInvalidation(deps, this.snapshots);
    this.readFrom = {
      memory: deps.metrics.identifySnapshots.labels('memory'),
      database: deps.metrics.identifySnapshots.labels('database'),
    };
    ({ hot: this.hot, batched: this.batched } = identifyStatements(db));
  }

  /** Reads one user. */
  async get(workspaceId: string, userId: string, db: Kysely<Database> = this.deps.db): Promise<UserView | null> {
    const [row] = await this.hot.userById.run(db, { workspaceId, userId });
    return row ? toView(row) : null;
  }

  /** Where other processes write (PostgreSQL): starts hearing which identify copies they made stale ({@link IdentifyCacheInvalidation.listen}). */
  async listen(): Promise<void> {
    await this.invalidation.listen();
  }

  /** Reads what identify needs to decide whether it must write at all: the user and the anonymous id's link. */
  async readForIdentify(workspaceId: string, userId: string, anonymousId: string): Promise<IdentifySnapshot> {
    const cache = this.invalidation.usable ? this.snapshots : null;
    const cached = cache?.get(workspaceId, userId, anonymousId);
    if (cached) {
      this.readFrom.memory.inc();
      return cached;
    }
    this.readFrom.database.inc();
    const ticket = this.snapshots.ticket();
    const [row, link] = await Promise.all([
      this.batched.userById.run(this.deps.db, { workspaceId, value: userId }),
      this.batched.linkByAnonymousId.run(this.deps.db, { workspaceId, value: anonymousId }),
    ]);
    const snapshot = { row: row[0], link: link[0] };
    cache?.fill(workspaceId, userId, anonymousId, snapshot, ticket);
    return snapshot;
  }

  /**
   * Whether an identify would change anything stored. A repeat identify (same
   * user, same profile, already linked) answers false and needs no transaction:
   * the common case on every page load.
   */
  needsWrite(snapshot: IdentifySnapshot, userId: string, updates: ProfileUpdate[], trust: TrustLevel): boolean {
    const profile = planProfile(snapshot.row, updates, trust, this.deps.clock.now());
    return profile.write !== 'none' || planLink(snapshot.link, userId, trust).write !== 'none';
  }

  /**
   * Merges profile updates into the user (creating it), raising its trust
   * level; writes only when something changed. Returns the merged user, and
   * for a new user whether its id is an alias (merged into another since the
   * caller resolved it: the caller rolls back). `absent`: the caller read no
   * such user a moment ago (identify's snapshot), so the insert is tried
   * first, without reading in the transaction: a first-time identify's one
   * statement for its user. Were it created meanwhile, the insert does
   * nothing and the user is read and updated as usual.
   */
  async applyProfile(
    db: Kysely<Database>,
    workspaceId: string,
    userId: string,
    updates: ProfileUpdate[],
    trust: TrustLevel,
    options: { absent?: boolean } = {},
  ): Promise<{ user: UserView; created: boolean; changed: boolean; previous: UserView | null; aliased: boolean }> {
    const now = this.deps.clock.now();
    if (options.absent) {
      const created = await this.create(db, workspaceId, userId, planProfile(undefined, updates, trust, now), now);
      if (created) return created;
    }
    const [row] = await this.batched.userById.run(db, { workspaceId, value: userId });
    const plan = planProfile(row, updates, trust, now);
    if (!row) {
      const created = await this.create(db, workspaceId, userId, plan, now);
      // As a plain insert would fail on the key: the group commit runs the job again alone, and it reads the user.
      if (!created) throw new Error(`user ${userId} was created by another writer meanwhile`);
      return created;
    }
    if (plan.write !== 'none') await this.invalidation.invalidate(db, { users: [[workspaceId, userId]] });
    const { profile } = plan;
    const previous = toView(row);
    if (plan.write === 'none') return { user: previous, created: false, changed: false, previous, aliased: false };
    const set =
      plan.write === 'profile'
        ? { ...this.profileColumns(profile), trust: plan.trust, updated_at: now, last_seen_at: now }
        : { trust: plan.trust, last_seen_at: now };
    await db.updateTable('users').set(set).where('workspace_id', '=', workspaceId).where('user_id', '=', userId).execute();
    const merged =
      plan.write === 'profile' ? { ...row, ...set, properties: profile.properties, sources: profile.sources } : { ...row, ...set };
    return { user: toView(merged), created: false, changed: plan.write === 'profile', previous, aliased: false };
  }

  // Inserts a new user unless one exists by now (answers null then).
  private async create(db: Kysely<Database>, workspaceId: string, userId: string, plan: ReturnType<typeof planProfile>, now: number) {
    await this.invalidation.invalidate(db, { users: [[workspaceId, userId]] });
    const { profile } = plan;
    const values = {
      workspace_id: workspaceId,
      user_id: userId,
      ...this.profileColumns(profile),
      trust: plan.trust,
      created_at: now,
      updated_at: now,
      last_seen_at: now,
    };
    const outcome = await this.batched.insertUser.run(db, values);
    if (!outcome.inserted) return null;
    return {
      user: toView({ ...values, properties: profile.properties, sources: profile.sources }),
      created: true,
      changed: true,
      previous: null,
      aliased: outcome.aliased,
    };
  }

  /**
   * Forgets identify's in-memory copies of these users, in this process and
   * (PostgreSQL) the others: a bulk writer (an import) calls it inside its
   * transaction, before it writes them, as {@link applyProfile} does for one user.
   */
  async forgetIdentifySnapshots(db: Kysely<Database>, workspaceId: string, userIds: readonly string[]): Promise<void> {
    await this.invalidation.invalidate(db, { users: userIds.map((userId) => [workspaceId, userId]) });
  }

  /**
   * Moves a user's last-seen time forward to `at` (their newest activity), in
   * the caller's transaction. Skipped while the stored time is less than
   * {@link LAST_SEEN_ACTIVITY_RESOLUTION_MS} older, so a busy user costs one
   * row write a minute, not one per event batch. The identify snapshot cache
   * is left alone: a cached last-seen that is older only makes identify
   * refresh it, which moves it forward too.
   */
  async touchLastSeen(db: Kysely<Database>, workspaceId: string, userId: string, at: number): Promise<void> {
    await db
      .updateTable('users')
      .set({ last_seen_at: at })
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', userId)
      .where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<', at - LAST_SEEN_ACTIVITY_RESOLUTION_MS)]))
      .execute();
  }

  /**
   * Links an anonymous id to a user (at most one user per anonymous id). An
   * existing link stands, except that a verified identify replaces an
   * unverified claim. Returns whether the id is now linked to this user.
   */
  async link(
    db: Kysely<Database>,
    workspaceId: string,
    anonymousId: string,
    userId: string,
    trust: TrustLevel,
    widgetId: string,
    options: { absent?: boolean } = {},
  ): Promise<boolean> {
    const now = this.deps.clock.now();
    const row = { workspace_id: workspaceId, anonymous_id: anonymousId, user_id: userId, trust, widget_id: widgetId, linked_at: now };
    // The caller read no link a moment ago: insert without reading first (a first-time identify's one
    // statement for its link). Linked meanwhile: the insert does nothing, and the link is read and planned as usual.
    if (options.absent) {
      await this.invalidation.invalidate(db, { links: [[workspaceId, anonymousId]] });
      if (await this.batched.insertLink.run(db, row)) return true;
    }
    const [existing] = await this.batched.linkByAnonymousId.run(db, { workspaceId, value: anonymousId });
    const plan = planLink(existing, userId, trust);
    if (plan.write !== 'none') await this.invalidation.invalidate(db, { links: [[workspaceId, anonymousId]] });
    if (plan.write === 'insert') {
      const inserted = await this.batched.insertLink.run(db, row);
      // Another identify of this browser (as another user, in another lane) linked it between the read
      // and the insert, and has committed: it holds the link, as it would had it come first.
      if (!inserted) return (await this.hot.linkByAnonymousId.run(db, { workspaceId, anonymousId }))[0]?.user_id === userId;
    } else if (plan.write !== 'none') {
      // 'upgrade' raises the trust of the same user's link; 'relink' hands it to the verified user.
      await db
        .updateTable('anonymous_links')
        .set(plan.write === 'upgrade' ? { trust } : { user_id: userId, trust, widget_id: widgetId, linked_at: now })
        .where('workspace_id', '=', workspaceId)
        .where('anonymous_id', '=', anonymousId)
        .execute();
    }
    return plan.linked;
  }

  /** The user an anonymous id is linked to, if any (attribution of anonymous activity); `db` may be a transaction. */
  async linkedUser(
    workspaceId: string,
    anonymousId: string,
    db: Kysely<Database> = this.deps.db,
  ): Promise<{ userId: string; trust: TrustLevel } | null> {
    const [row] = await this.hot.linkByAnonymousId.run(db, { workspaceId, anonymousId });
    return row ? { userId: row.user_id, trust: row.trust as TrustLevel } : null;
  }

  /** Lists users ordered by userId, paged with an opaque cursor. */
  async list(
    workspaceId: string,
    options: { limit: number; after?: string | undefined },
  ): Promise<{ users: UserView[]; nextCursor: string | null }> {
    return this.search(workspaceId, options);
  }

  /**
   * Finds users ordered by userId, paged with the same cursor as {@link list}:
   * `query` matches the start of the userId, email or name (case ignored);
   * `where` is a compiled condition over the users table (conditionToSql).
   */
  async search(
    workspaceId: string,
    options: { limit: number; after?: string | undefined; query?: string | undefined; where?: RawBuilder<SqlBool> | undefined },
  ): Promise<{ users: UserView[]; nextCursor: string | null }> {
    let query = this.deps.db.selectFrom('users').selectAll().where('workspace_id', '=', workspaceId);
    if (options.after !== undefined) query = query.where('user_id', '>', options.after);
    const text = options.query?.trim().toLowerCase();
    if (text) query = query.where(sql<SqlBool>`user_id in (${userPrefixMatches(this.deps.adapter.name, workspaceId, text)})`);
    if (options.where) query = query.where(options.where);
    const rows = await query
      .orderBy('user_id')
      .limit(options.limit + 1)
      .execute();
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      users: page.map(toView),
      nextCursor: rows.length > options.limit && last ? Buffer.from(last.user_id, 'utf8').toString('base64url') : null,
    };
  }

  /** How many anonymous ids are linked to a user. */
  async linkCount(workspaceId: string, userId: string): Promise<number> {
    const row = await this.deps.db
      .selectFrom('anonymous_links')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** The anonymous ids linked to a user. */
  async links(
    workspaceId: string,
    userId: string,
  ): Promise<Array<{ anonymousId: string; trust: string; widgetId: string; linkedAt: number }>> {
    const rows = await this.deps.db
      .selectFrom('anonymous_links')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', userId)
      .execute();
    return rows.map((r) => ({ anonymousId: r.anonymous_id, trust: r.trust, widgetId: r.widget_id, linkedAt: r.linked_at }));
  }

  /**
   * Deletes a user, their links, their identity-log entries and what they saw
   * and saved; `eraseEvents` deletes their analytics in the same transaction.
   * Returns whether the user existed and what went.
   */
  async erase(
    workspaceId: string,
    userId: string,
    eraseEvents: (trx: Kysely<Database>) => Promise<number> = async () => 0,
  ): Promise<{ existed: boolean; links: number; logEntries: number; events: number }> {
    return this.deps.db.transaction().execute(async (trx) => {
      // The anonymous ids of the erased links are not known here: forget every copy.
      await this.invalidation.invalidate(trx, 'all');
      const user = await trx.deleteFrom('users').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).executeTakeFirst();
      const links = await trx
        .deleteFrom('anonymous_links')
        .where('workspace_id', '=', workspaceId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      const log = await trx
        .deleteFrom('identity_log')
        .where('workspace_id', '=', workspaceId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      // What the user saw, dismissed, saved and rated goes too, and the interests it shaped.
      await trx
        .deleteFrom('announcement_states')
        .where('workspace_id', '=', workspaceId)
        .where('viewer', 'in', userViewerKeys(userId))
        .execute();
      for (const table of ['article_saves', 'article_feedback', 'interest_scores'] as const)
        await trx.deleteFrom(table).where('workspace_id', '=', workspaceId).where('viewer', 'in', userViewerKeys(userId)).execute();
      // The old ids merged into this user name the person too (users/user-merge.ts).
      await trx.deleteFrom('user_aliases').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).execute();
      const events = await eraseEvents(trx);
      const result = {
        existed: Number(user.numDeletedRows) > 0,
        links: Number(links.numDeletedRows),
        logEntries: Number(log.numDeletedRows),
        events,
      };
      if (result.existed || result.links > 0 || result.logEntries > 0 || result.events > 0)
        await recordUserErased(trx, workspaceId, userId, this.deps.clock.now());
      return result;
    });
  }

  /** Forgets every cached identify snapshot, here and in the other processes (a merge moved rows and links whose keys are not all known). */
  async forgetSnapshots(db: Kysely<Database>): Promise<void> {
    await this.invalidation.invalidate(db, 'all');
  }

  /** Tells the other processes each group-commit transaction's invalidations at once ({@link IdentifyCacheInvalidation.gather}). */
  gatherInvalidations(writes: GroupCommit): void {
    this.invalidation.gather(writes);
  }

  private profileColumns(profile: StoredProfile) {
    return {
      name: profile.name,
      email: profile.email,
      birthday: profile.birthday,
      gender: profile.gender,
      properties: this.deps.adapter.json(profile.properties),
      sources: this.deps.adapter.json(profile.sources),
    };
  }
}

/** What an identify does to the user row. */
function planProfile(row: UserRow | undefined, updates: ProfileUpdate[], trust: TrustLevel, now: number) {
  let profile = row ? parsedProfile(row) : emptyProfile();
  let changed = false;
  // Applied in order, weakest source first, so a stronger value in the same call wins.
  for (const update of updates) {
    const merged = mergeProfile(profile, update, update.source);
    profile = merged.profile;
    changed ||= merged.changed;
  }
  const nextTrust: TrustLevel = row?.trust === 'verified' || trust === 'verified' ? 'verified' : 'identified';
  let write: 'insert' | 'profile' | 'seen' | 'none';
  if (!row) write = 'insert';
  else if (changed) write = 'profile';
  else if (nextTrust !== row.trust || row.last_seen_at === null || now - row.last_seen_at > LAST_SEEN_RESOLUTION_MS) write = 'seen';
  else write = 'none';
  return { profile, trust: nextTrust, write };
}

/** What an identify does to the anonymous id's link. */
function planLink(existing: LinkRow | undefined, userId: string, trust: TrustLevel) {
  if (!existing) return { linked: true, write: 'insert' as const };
  if (existing.user_id === userId) {
    return { linked: true, write: existing.trust !== 'verified' && trust === 'verified' ? ('upgrade' as const) : ('none' as const) };
  }
  if (existing.trust !== 'verified' && trust === 'verified') return { linked: true, write: 'relink' as const };
  return { linked: false, write: 'none' as const };
}

/** Decodes a list cursor. */
export function decodeUserCursor(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

// A repeat identify plans against the same cached row object on every page
// load: parse its JSON columns once. Safe to share because mergeProfile copies.
const parsedProfiles = new WeakMap<UserRow, StoredProfile>();

function parsedProfile(row: UserRow): StoredProfile {
  let profile = parsedProfiles.get(row);
  if (!profile) parsedProfiles.set(row, (profile = toProfile(row)));
  return profile;
}

function toProfile(row: UserRow): StoredProfile {
  return {
    name: row.name,
    email: row.email,
    birthday: row.birthday,
    gender: row.gender,
    properties: parseJson(row.properties, {}),
    sources: parseJson(row.sources, {}),
  };
}

function toView(row: UserRow): UserView {
  const profile = toProfile(row);
  return {
    userId: row.user_id,
    name: profile.name,
    email: profile.email,
    birthday: profile.birthday,
    gender: profile.gender,
    properties: profile.properties,
    trust: row.trust as TrustLevel,
    sources: profile.sources,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastSeenAt: row.last_seen_at,
  };
}

/** Reads the stored profile of a user view (for visibility filtering). */
export function profileOf(user: UserView): StoredProfile {
  return {
    name: user.name,
    email: user.email,
    birthday: user.birthday,
    gender: user.gender,
    properties: user.properties,
    sources: user.sources,
  };
}

/**
 * The userIds whose userId, email or name starts with `text` (lower case):
 * a range of each column's search index (migration 0009), so the cost
 * follows the matches, not the workspace's users. The LIKE keeps the answer
 * exact at the range's far end; its wildcards in what the team typed are
 * literal characters.
 */
export function userPrefixMatches(dialect: DialectName, workspaceId: string, text: string): RawBuilder<unknown> {
  const pattern = `${text.replace(/[\\%_]/g, '\\$&')}%`;
  // Every string that starts with `text` sorts below it followed by the last code point.
  const upper = `${text}\u{10FFFF}`;
  const collate = dialect === 'postgres' ? sql` collate "C"` : sql``;
  const matches = USER_SEARCH_COLUMNS.map((column) => {
    const key = sql`lower(${sql.ref(column)})`;
    return sql`select user_id from users where workspace_id = ${workspaceId} and ${key}${collate} >= ${text} and ${key}${collate} < ${upper} and ${key} like ${pattern} escape '\\'`;
  });
  return sql.join(matches, sql` union `);
}
