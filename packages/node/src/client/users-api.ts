import { normalizeUserId } from '@lumio/protocol';
import { LumioApiError } from './lumio-api-error.js';
import type { HttpTransport } from './http-transport.js';
import type { ListUsersOptions, User, UserErasure, UserExport, UserMerge, UserMergeRequest, UserPage, UserUpsert } from './types.js';

const USERS_PATH = '/server/v1/users';

/**
 * The users of the workspace, as `client.users`: values written here are
 * trusted, unlike those the browser claims.
 *
 * @example
 * await lumio.users.upsert('user_123', { email: 'ada@example.com', properties: { plan: 'pro' } });
 * for await (const user of lumio.users.iterate()) console.log(user.userId, user.trust);
 */
export class UsersApi {
  readonly #transport: HttpTransport;

  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  /** Creates the user or updates the given traits and properties; `null` unsets a value. */
  async upsert(userId: string | number, profile: UserUpsert = {}): Promise<User> {
    return this.#transport.request<User>({ method: 'PUT', path: userPath(userId), body: profile });
  }

  /** Reads one user; rejects with code `not_found` when there is none. */
  async get(userId: string | number): Promise<User> {
    return this.#transport.request<User>({ method: 'GET', path: userPath(userId) });
  }

  /** Reads one page of users; pass the previous page's `nextCursor` to get the next. */
  async list(options: ListUsersOptions = {}): Promise<UserPage> {
    const { limit, cursor } = options;
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit <= 0)) {
      throw new TypeError(`limit must be a positive whole number (got ${String(limit)}).`);
    }
    if (cursor !== undefined && (typeof cursor !== 'string' || cursor === '')) {
      throw new TypeError('cursor must be the non-empty nextCursor of a previous page.');
    }
    const page = await this.#transport.request<UserPage>({ method: 'GET', path: USERS_PATH, query: { limit, cursor } });
    if (!isUserPage(page)) {
      throw new LumioApiError(`GET ${USERS_PATH}: the answer is not a page of users ({ users, nextCursor }).`, {
        code: 'invalid_response',
        status: 200,
      });
    }
    return page;
  }

  /** Reads everything stored about one user (profile, sources, events…), for a data-access request. */
  async export(userId: string | number): Promise<UserExport> {
    return this.#transport.request<UserExport>({ method: 'GET', path: `${userPath(userId)}/export` });
  }

  /** Deletes the user and everything stored about them, for a right-to-erasure request. */
  async erase(userId: string | number): Promise<UserErasure> {
    return this.#transport.request<UserErasure>({ method: 'DELETE', path: userPath(userId) });
  }

  /**
   * Merges the old id `from` into `userId` (PostHog's alias): its profile values, events,
   * companies and the rest move to `userId` in one transaction, and the old id then
   * resolves to `userId`. Rejects with `merge_same_user` or `not_found` (no user `from`).
   *
   * @example
   * await lumio.users.merge('new-id', { from: 'old-id' });
   */
  async merge(userId: string | number, request: UserMergeRequest): Promise<UserMerge> {
    const from = normalizeUserId(request?.from as string | number);
    if (!from.ok) throw new TypeError(`from: ${from.issue.message}`);
    return this.#transport.request<UserMerge>({ method: 'POST', path: `${userPath(userId)}/merge`, body: { from: from.value } });
  }

  /** Yields every user of the workspace, fetching page after page as the loop goes. */
  async *iterate(options: Pick<ListUsersOptions, 'limit'> = {}): AsyncGenerator<User, void, undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.list({ limit: options.limit, cursor });
      yield* page.users;
      // A server that hands back the cursor it was given would otherwise loop forever.
      if (page.nextCursor !== null && page.nextCursor === cursor) {
        throw new LumioApiError(`GET ${USERS_PATH}: the server returned the same cursor again.`, { code: 'invalid_response', status: 200 });
      }
      cursor = page.nextCursor || undefined;
    } while (cursor !== undefined);
  }
}

function userPath(userId: string | number): string {
  const normalized = normalizeUserId(userId);
  if (!normalized.ok) throw new TypeError(normalized.issue.message);
  // URL parsing resolves "." and ".." segments (even percent-encoded), which
  // would send the call to another endpoint, e.g. DELETE /server/v1/.
  if (normalized.value === '.' || normalized.value === '..') {
    throw new TypeError(`userId "${normalized.value}" cannot be addressed in a URL path; the server API cannot read or change this user.`);
  }
  return `${USERS_PATH}/${encodeURIComponent(normalized.value)}`;
}

function isUserPage(value: unknown): value is UserPage {
  if (typeof value !== 'object' || value === null) return false;
  const page = value as Partial<UserPage>;
  return Array.isArray(page.users) && (page.nextCursor === null || typeof page.nextCursor === 'string');
}
