import { LumioError } from '../errors/lumio-error.js';
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { CompanyMember, CompanyRecord, UserCompany, ValueSource } from '@lumio/protocol';
import type { Database } from '../db/schema.js';
import { parseJson } from '../db/schema.js';

type CompanyRow = Database['companies'];

/**
 * Reads companies and memberships for the server API (and the dashboard).
 * Every query is scoped by workspace id; pages are ordered by id with an
 * opaque cursor, like users.
 */
export class CompaniesReader {
  constructor(private readonly deps: { db: Kysely<Database> }) {}

  /** One company, or null. */
  async get(workspaceId: string, companyId: string): Promise<CompanyRecord | null> {
    const row = await this.deps.db
      .selectFrom('companies')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('company_id', '=', companyId)
      .executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** A page of companies ordered by id; `query` matches the start of the id or the name (case ignored). */
  async list(
    workspaceId: string,
    options: { limit: number; after?: string | undefined; query?: string | undefined },
  ): Promise<{ companies: CompanyRecord[]; nextCursor: string | null }> {
    let query = this.deps.db.selectFrom('companies').selectAll().where('workspace_id', '=', workspaceId);
    if (options.after !== undefined) query = query.where('company_id', '>', options.after);
    const text = options.query?.trim().toLowerCase();
    if (text) {
      const pattern = `${text.replace(/[\\%_]/g, '\\$&')}%`;
      // The wildcards in what was typed are literal characters.
      query = query.where(sql<SqlBool>`(lower(company_id) like ${pattern} escape '\\' or lower(name) like ${pattern} escape '\\')`);
    }
    const rows = await query
      .orderBy('company_id')
      .limit(options.limit + 1)
      .execute();
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return { companies: page.map(toRecord), nextCursor: rows.length > options.limit && last ? encodeCursor(last.company_id) : null };
  }

  /** How many users belong to a company. */
  async memberCount(workspaceId: string, companyId: string): Promise<number> {
    const row = await this.deps.db
      .selectFrom('company_members')
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .where('workspace_id', '=', workspaceId)
      .where('company_id', '=', companyId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** A page of a company's members ordered by userId; `limit` undefined reads them all (an export). */
  async members(
    workspaceId: string,
    companyId: string,
    options: { limit?: number; after?: string | undefined } = {},
  ): Promise<{ members: CompanyMember[]; nextCursor: string | null }> {
    let query = this.deps.db
      .selectFrom('company_members')
      .select(['user_id', 'source', 'created_at'])
      .where('workspace_id', '=', workspaceId)
      .where('company_id', '=', companyId);
    if (options.after !== undefined) query = query.where('user_id', '>', options.after);
    query = query.orderBy('user_id');
    if (options.limit !== undefined) query = query.limit(options.limit + 1);
    const rows = await query.execute();
    const page = options.limit === undefined ? rows : rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      members: page.map((r) => ({ userId: r.user_id, source: r.source as ValueSource, joinedAt: r.created_at })),
      nextCursor: options.limit !== undefined && rows.length > options.limit && last ? encodeCursor(last.user_id) : null,
    };
  }

  /** The companies a user belongs to, by company id. */
  async ofUser(workspaceId: string, userId: string): Promise<UserCompany[]> {
    const rows = await this.deps.db
      .selectFrom('company_members as m')
      .innerJoin('companies as c', (join) => join.onRef('c.workspace_id', '=', 'm.workspace_id').onRef('c.company_id', '=', 'm.company_id'))
      .select(['m.company_id', 'c.name', 'm.source', 'm.created_at'])
      .where('m.workspace_id', '=', workspaceId)
      .where('m.user_id', '=', userId)
      .orderBy('m.company_id')
      .execute();
    return rows.map((r) => ({ companyId: r.company_id, name: r.name, source: r.source as ValueSource, joinedAt: r.created_at }));
  }
}

/** Encodes a page cursor (the last id of the page). */
export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** Decodes a page cursor; one no list gave (a NUL inside, which PostgreSQL cannot compare) is refused. */
export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (id.includes('\u0000')) throw new LumioError('invalid_request', 'cursor: not a cursor this list gave.', { field: 'cursor' });
  return id;
}

function toRecord(row: CompanyRow): CompanyRecord {
  return {
    companyId: row.company_id,
    name: row.name,
    properties: parseJson(row.properties, {}),
    sources: parseJson(row.sources, {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
