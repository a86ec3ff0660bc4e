import { LRUCache } from 'lru-cache';
import type { Database } from '../db/schema.js';

type UserRow = Database['users'];
/** The part of an anonymous link identify decides on. */
export type LinkRow = Pick<Database['anonymous_links'], 'user_id' | 'trust'>;

/** The stored state an identify starts from. */
export interface IdentifySnapshot {
  row: UserRow | undefined;
  link: LinkRow | undefined;
}

const DEFAULT_MAX_ENTRIES = 20_000;

/**
 * In-memory copies of the user rows and anonymous links that identify reads,
 * so a repeat identify (every page load of a signed-in user) is answered
 * without touching the database. Every write of a user or link goes through
 * UsersStore, which invalidates the copy from inside its transaction; where
 * other processes write too (PostgreSQL), the same invalidation reaches them
 * by NOTIFY when the transaction commits (IdentifyCacheInvalidation), and a
 * process whose LISTEN connection is down reads the database instead.
 *
 * A read races a write when it reads the old row and is filled in after the
 * write was invalidated. Reads therefore take a ticket (the invalidation
 * sequence number) before reading, and a copy is kept only when its key has
 * not been invalidated since: a stale copy can never be stored.
 */
export class IdentifySnapshotCache {
  private readonly users: LRUCache<string, UserRow>;
  private readonly links: LRUCache<string, LinkRow>;
  private sequence = 0;
  // Key → sequence number of its last invalidation; dropped wholesale when it
  // grows past the cache size, after which older tickets fill nothing.
  private readonly invalidatedAt = new Map<string, number>();
  private forgetBefore = 0;

  constructor(private readonly maxEntries = DEFAULT_MAX_ENTRIES) {
    this.users = new LRUCache({ max: maxEntries });
    this.links = new LRUCache({ max: maxEntries });
  }

  /** The snapshot of a user and an anonymous id when both are held; undefined otherwise. */
  get(workspaceId: string, userId: string, anonymousId: string): IdentifySnapshot | undefined {
    const row = this.users.get(userKey(workspaceId, userId));
    if (!row) return undefined;
    const link = this.links.get(linkKey(workspaceId, anonymousId));
    return link ? { row, link } : undefined;
  }

  /** Taken before reading the database; hand it to {@link fill} with what was read. */
  ticket(): number {
    return this.sequence;
  }

  /** Keeps what a read found, unless a write to the same key was invalidated since the read's ticket. */
  fill(workspaceId: string, userId: string, anonymousId: string, snapshot: IdentifySnapshot, ticket: number): void {
    if (ticket < this.forgetBefore) return;
    const users = userKey(workspaceId, userId);
    if (snapshot.row && this.unchangedSince(users, ticket)) this.users.set(users, snapshot.row);
    const links = linkKey(workspaceId, anonymousId);
    if (snapshot.link && this.unchangedSince(links, ticket)) this.links.set(links, snapshot.link);
  }

  /** Called before a user row is written. */
  invalidateUser(workspaceId: string, userId: string): void {
    const key = userKey(workspaceId, userId);
    this.users.delete(key);
    this.invalidated(key);
  }

  /** Called before an anonymous link is written. */
  invalidateLink(workspaceId: string, anonymousId: string): void {
    const key = linkKey(workspaceId, anonymousId);
    this.links.delete(key);
    this.invalidated(key);
  }

  /** Forgets everything (writes whose keys are not all known, such as erasing a user's links). */
  invalidateAll(): void {
    this.users.clear();
    this.links.clear();
    this.invalidatedAt.clear();
    this.forgetBefore = ++this.sequence;
  }

  private invalidated(key: string): void {
    this.invalidatedAt.set(key, ++this.sequence);
    if (this.invalidatedAt.size > this.maxEntries) {
      this.invalidatedAt.clear();
      this.forgetBefore = this.sequence;
    }
  }

  private unchangedSince(key: string, ticket: number): boolean {
    return (this.invalidatedAt.get(key) ?? 0) <= ticket;
  }
}

// Workspace ids never contain NUL, so keys of different workspaces never collide whatever the user id holds.
function userKey(workspaceId: string, userId: string): string {
  return `u\u0000${workspaceId}\u0000${userId}`;
}

function linkKey(workspaceId: string, anonymousId: string): string {
  return `a\u0000${workspaceId}\u0000${anonymousId}`;
}
