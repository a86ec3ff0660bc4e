import { sql, type SqlBool } from 'kysely';
import type { CompanyListAnswer, CompanyPageAnswer, CompanyPerson, CompanyProfileView, TrustLevel, ValueSource } from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import { parseJson } from '../db/schema.js';
import { LumioError } from '../errors/lumio-error.js';
import { encodeCursor } from './companies-reader.js';
import { personOf, type EventStore } from '../analytics/event-store.js';
import type { EventSubjects } from '../analytics/event-subjects.js';

/** How many people one page of a company's people holds. */
export const COMPANY_PEOPLE_PAGE = 50;
/** A company's activity reads the latest events of this many of its people, the most recently seen first. */
export const COMPANY_ACTIVITY_PEOPLE = 20;
/** How many events a company's activity shows. */
export const COMPANY_ACTIVITY_EVENTS = 25;

/**
 * Reads companies for the dashboard, every query scoped by workspace id: the
 * list (search by the start of the company id or name), one company with its
 * people and their recent activity, and the companies a user belongs to.
 * Writes belong to CompaniesStore.
 */
export class CompaniesDashboardReader {
  constructor(
    private readonly deps: Pick<AppDeps, 'db'>,
    private readonly services: { events: Pick<EventStore, 'recent' | 'recentOfCompany'>; subjects: Pick<EventSubjects, 'name'> },
  ) {}

  /**
   * A page of companies ordered by company id, each with its people count.
   * `query` matches the start of the company id or name, case ignored;
   * `userId` keeps only the companies that user belongs to.
   */
  async list(
    workspaceId: string,
    options: { limit: number; after?: string | undefined; query?: string | undefined; userId?: string | undefined },
  ): Promise<CompanyListAnswer> {
    const db = this.deps.db;
    let query = db
      .selectFrom('companies as c')
      .select(['c.company_id', 'c.name', 'c.created_at', 'c.updated_at'])
      // One range of company_members' primary key per company of the page.
      .select((eb) =>
        eb
          .selectFrom('company_members as m')
          .select((inner) => inner.fn.countAll<number | string>().as('n'))
          .whereRef('m.workspace_id', '=', 'c.workspace_id')
          .whereRef('m.company_id', '=', 'c.company_id')
          .as('people'),
      )
      .where('c.workspace_id', '=', workspaceId);
    if (options.after !== undefined) query = query.where('c.company_id', '>', options.after);
    const text = options.query?.trim().toLowerCase();
    if (text) {
      // Walks the workspace's companies in id order and stops at a full page: companies are
      // far fewer than users, so no search index of their own (users have migration 0009's).
      const pattern = `${text.replace(/[\\%_]/g, '\\$&')}%`;
      query = query.where(
        sql<SqlBool>`(lower(c.company_id) like ${pattern} escape '\\' or lower(coalesce(c.name, '')) like ${pattern} escape '\\')`,
      );
    }
    if (options.userId !== undefined) {
      const userId = options.userId;
      query = query.where('c.company_id', 'in', (eb) =>
        eb.selectFrom('company_members').select('company_id').where('workspace_id', '=', workspaceId).where('user_id', '=', userId),
      );
    }
    const rows = await query
      .orderBy('c.company_id')
      .limit(options.limit + 1)
      .execute();
    const page = rows.slice(0, options.limit);
    const last = page.at(-1);
    return {
      companies: page.map((r) => ({
        companyId: r.company_id,
        name: r.name,
        people: Number(r.people ?? 0),
        createdAt: Number(r.created_at),
        updatedAt: Number(r.updated_at),
      })),
      nextCursor: rows.length > options.limit && last ? encodeCursor(last.company_id) : null,
    };
  }

  /** One company with a page of its people (by userId) and its recent activity; null when the workspace has no such company. */
  async get(workspaceId: string, companyId: string, peopleAfter?: string): Promise<CompanyPageAnswer | null> {
    const db = this.deps.db;
    const row = await db
      .selectFrom('companies')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('company_id', '=', companyId)
      .executeTakeFirst();
    if (!row) return null;
    const company: CompanyProfileView = {
      companyId: row.company_id,
      name: row.name,
      properties: parseJson(row.properties, {}),
      sources: parseJson(row.sources, {}),
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
    };
    const members = () =>
      db
        .selectFrom('company_members as m')
        .innerJoin('users as u', (join) => join.onRef('u.workspace_id', '=', 'm.workspace_id').onRef('u.user_id', '=', 'm.user_id'))
        .where('m.workspace_id', '=', workspaceId)
        .where('m.company_id', '=', companyId);
    let page = members().select(['u.user_id', 'u.name', 'u.email', 'u.trust', 'u.last_seen_at', 'm.source']);
    if (peopleAfter !== undefined) page = page.where('m.user_id', '>', peopleAfter);
    const [rows, count, recent] = await Promise.all([
      page
        .orderBy('m.user_id')
        .limit(COMPANY_PEOPLE_PAGE + 1)
        .execute(),
      db
        .selectFrom('company_members')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('workspace_id', '=', workspaceId)
        .where('company_id', '=', companyId)
        .executeTakeFirstOrThrow(),
      // The most recently seen people: last_seen_at follows each user's newest event (UsersStore.touchLastSeen).
      members()
        .select('u.user_id')
        .orderBy(sql`u.last_seen_at is null`)
        .orderBy('u.last_seen_at', 'desc')
        .orderBy('u.user_id')
        .limit(COMPANY_ACTIVITY_PEOPLE)
        .execute(),
    ]);
    const people: CompanyPerson[] = rows.slice(0, COMPANY_PEOPLE_PAGE).map((r) => ({
      userId: r.user_id,
      name: r.name,
      email: r.email,
      trust: r.trust as TrustLevel,
      membership: r.source as ValueSource,
      lastSeenAt: r.last_seen_at === null ? null : Number(r.last_seen_at),
    }));
    return {
      company,
      people,
      peopleCount: Number(count.n),
      nextPeopleCursor: rows.length > COMPANY_PEOPLE_PAGE ? encodeCursor(people.at(-1)!.userId) : null,
      activity: await this.activity(
        workspaceId,
        companyId,
        recent.map((r) => r.user_id),
      ),
    };
  }

  // Each person's latest events are one range of the events' (workspace, person, at) index; the merge keeps the newest.
  // The events that name the company themselves (server-side: its own, and users' who are not members) join them.
  private async activity(workspaceId: string, companyId: string, userIds: string[]) {
    const pages = await Promise.all([
      ...userIds.map((userId) => this.services.events.recent(workspaceId, personOf(userId, ''), COMPANY_ACTIVITY_EVENTS)),
      this.services.events.recentOfCompany(workspaceId, companyId, COMPANY_ACTIVITY_EVENTS),
    ]);
    // A member's event naming the company is in both pages: once is enough.
    const unique = new Map(pages.flat().map((event) => [event.eventId, event]));
    const latest = [...unique.values()].sort((a, b) => b.at - a.at || a.eventId.localeCompare(b.eventId)).slice(0, COMPANY_ACTIVITY_EVENTS);
    return this.services.subjects.name(workspaceId, latest);
  }
}
