import { normalizeCompanyId, normalizeUserId } from '@lumio/protocol';
import { LumioApiError } from './lumio-api-error.js';
import type { HttpTransport } from './http-transport.js';
import type {
  Company,
  CompanyErasure,
  CompanyExport,
  CompanyMembership,
  CompanyPage,
  CompanyUpsert,
  CompanyWithMemberCount,
  ListCompaniesOptions,
} from './types.js';

const COMPANIES_PATH = '/server/v1/companies';

/**
 * The companies of the workspace, as `client.companies`: values and
 * memberships written here are trusted, unlike those the browser claims.
 *
 * @example
 * await lumio.companies.upsert('acme', { name: 'Acme', properties: { plan: 'enterprise', seats: 40 } });
 * await lumio.companies.addUser('acme', 'user_123');
 */
export class CompaniesApi {
  readonly #transport: HttpTransport;

  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  /** Creates the company or updates its name and properties; `null` unsets a value. */
  async upsert(companyId: string | number, company: CompanyUpsert = {}): Promise<Company> {
    return this.#transport.request<Company>({ method: 'PUT', path: companyPath(companyId), body: company });
  }

  /** Reads one company with its member count; rejects with code `not_found` when there is none. */
  async get(companyId: string | number): Promise<CompanyWithMemberCount> {
    return this.#transport.request<CompanyWithMemberCount>({ method: 'GET', path: companyPath(companyId) });
  }

  /** Reads one page of companies by id; `query` matches the start of the id or name. */
  async list(options: ListCompaniesOptions = {}): Promise<CompanyPage> {
    const { limit, cursor, query } = options;
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit <= 0)) {
      throw new TypeError(`limit must be a positive whole number (got ${String(limit)}).`);
    }
    if (cursor !== undefined && (typeof cursor !== 'string' || cursor === '')) {
      throw new TypeError('cursor must be the non-empty nextCursor of a previous page.');
    }
    const page = await this.#transport.request<CompanyPage>({ method: 'GET', path: COMPANIES_PATH, query: { limit, cursor, query } });
    if (typeof page !== 'object' || page === null || !Array.isArray(page.companies)) {
      throw new LumioApiError(`GET ${COMPANIES_PATH}: the answer is not a page of companies ({ companies, nextCursor }).`, {
        code: 'invalid_response',
        status: 200,
      });
    }
    return page;
  }

  /** Yields every company of the workspace, fetching page after page as the loop goes. */
  async *iterate(options: Pick<ListCompaniesOptions, 'limit' | 'query'> = {}): AsyncGenerator<Company, void, undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.list({ ...options, cursor });
      yield* page.companies;
      if (page.nextCursor !== null && page.nextCursor === cursor) {
        throw new LumioApiError(`GET ${COMPANIES_PATH}: the server returned the same cursor again.`, {
          code: 'invalid_response',
          status: 200,
        });
      }
      cursor = page.nextCursor || undefined;
    } while (cursor !== undefined);
  }

  /** Makes an existing user a trusted member of an existing company. */
  async addUser(companyId: string | number, userId: string | number): Promise<CompanyMembership> {
    return this.#transport.request<CompanyMembership>({ method: 'PUT', path: `${companyPath(companyId)}/users/${userSegment(userId)}` });
  }

  /** Removes a user from a company (the user and the company stay). */
  async removeUser(companyId: string | number, userId: string | number): Promise<{ removed: true }> {
    return this.#transport.request<{ removed: true }>({ method: 'DELETE', path: `${companyPath(companyId)}/users/${userSegment(userId)}` });
  }

  /** Reads everything stored about one company, its members included. */
  async export(companyId: string | number): Promise<CompanyExport> {
    return this.#transport.request<CompanyExport>({ method: 'GET', path: `${companyPath(companyId)}/export` });
  }

  /** Deletes the company and its memberships; its users stay. */
  async erase(companyId: string | number): Promise<CompanyErasure> {
    return this.#transport.request<CompanyErasure>({ method: 'DELETE', path: companyPath(companyId) });
  }
}

function companyPath(companyId: string | number): string {
  const normalized = normalizeCompanyId(companyId, 'companyId');
  if (!normalized.ok) throw new TypeError(normalized.issue.message);
  return `${COMPANIES_PATH}/${pathSegment(normalized.value, 'companyId')}`;
}

function userSegment(userId: string | number): string {
  const normalized = normalizeUserId(userId);
  if (!normalized.ok) throw new TypeError(normalized.issue.message);
  return pathSegment(normalized.value, 'userId');
}

function pathSegment(id: string, what: string): string {
  // URL parsing resolves "." and ".." segments (even percent-encoded), which would send the call elsewhere.
  if (id === '.' || id === '..') throw new TypeError(`${what} "${id}" cannot be addressed in a URL path; the server API cannot reach it.`);
  return encodeURIComponent(id);
}
