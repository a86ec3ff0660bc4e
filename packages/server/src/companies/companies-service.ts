import type { CompanyInput, CompanyMember, CompanyRecord, StoredEvent, UserCompany } from '@lumio/protocol';
import type { Actor, AuditLog } from '../audit/audit-log.js';
import type { GroupCommit } from '../db/group-commit.js';
import { LumioError } from '../errors/lumio-error.js';
import type { AppDeps } from '../http/app-deps.js';
import { EventStore, companyPersonOf } from '../analytics/event-store.js';
import { CompaniesReader } from './companies-reader.js';
import { CompaniesStore, type StoredCompany } from './companies-store.js';

/** The most events a company export holds (as a user's export). */
const MAX_EXPORTED_EVENTS = 100_000;

/** What the server API's company export holds: the company, every membership and its own events. */
export interface CompanyExport {
  exportedAt: string;
  company: CompanyRecord;
  members: CompanyMember[];
  /** The company's own server-side events (recorded without a user), newest first; users' events are in their exports. */
  events: StoredEvent[];
}

/** What a company erasure removed. */
export interface CompanyErasure {
  erased: true;
  companyId: string;
  membershipsDeleted: number;
  /** The company's own server-side events (no user) deleted with it. */
  eventsDeleted: number;
  /** Users' events that named the company and now name none (they stay the users'). */
  eventsDetached: number;
}

/**
 * The server API's companies: every write is trusted (the host's backend
 * says so), runs through the group commit keyed like identify's writes, and
 * is audited when it changed something.
 */
export class CompaniesService {
  readonly reader: CompaniesReader;
  private readonly store: CompaniesStore;
  private readonly events: EventStore;

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'adapter' | 'clock'>,
    private readonly audit: AuditLog,
    private readonly writes: GroupCommit,
  ) {
    this.reader = new CompaniesReader(deps);
    this.store = new CompaniesStore(deps);
    this.events = new EventStore(deps);
  }

  /** Creates or updates a company with trusted values. */
  async upsert(workspaceId: string, input: CompanyInput, actor: Actor): Promise<{ company: CompanyRecord; created: boolean }> {
    const now = this.deps.clock.now();
    const result = await this.writes.submit(
      async (trx) => {
        const written = await this.store.upsert(trx, workspaceId, input, 'trusted', now);
        if (written.changed) {
          await this.audit.record(
            workspaceId,
            actor,
            'company.upsert',
            { type: 'company', id: input.id },
            { created: written.created },
            trx,
          );
        }
        return written;
      },
      companyKey(workspaceId, input.id),
    );
    return { company: toRecord(result.company), created: result.created };
  }

  /** Makes a user a trusted member of a company; both must exist. */
  async addUser(workspaceId: string, companyId: string, userId: string, actor: Actor): Promise<UserCompany> {
    const now = this.deps.clock.now();
    return this.writes.submit(async (trx) => {
      const company = await trx
        .selectFrom('companies')
        .select('name')
        .where('workspace_id', '=', workspaceId)
        .where('company_id', '=', companyId)
        .executeTakeFirst();
      if (!company) throw new LumioError('not_found', 'No company with this id in this workspace.');
      const user = await trx
        .selectFrom('users')
        .select('user_id')
        .where('workspace_id', '=', workspaceId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (!user) throw new LumioError('not_found', 'No user with this userId in this workspace.');
      await this.store.join(trx, workspaceId, userId, companyId, 'trusted', now);
      await this.audit.record(workspaceId, actor, 'company.upsert', { type: 'company', id: companyId }, { member: 'added' }, trx);
      const joined = await trx
        .selectFrom('company_members')
        .select('created_at')
        .where('workspace_id', '=', workspaceId)
        .where('company_id', '=', companyId)
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return { companyId, name: company.name, source: 'trusted' as const, joinedAt: joined.created_at };
    }, `${workspaceId}\u0000${userId}`);
  }

  /** Removes a user from a company; not_found when they were not a member. */
  async removeUser(workspaceId: string, companyId: string, userId: string, actor: Actor): Promise<{ removed: true }> {
    return this.writes.submit(async (trx) => {
      if (!(await this.store.leave(trx, workspaceId, userId, companyId))) {
        throw new LumioError('not_found', 'This user is not a member of this company in this workspace.');
      }
      await this.audit.record(workspaceId, actor, 'company.upsert', { type: 'company', id: companyId }, { member: 'removed' }, trx);
      return { removed: true as const };
    }, `${workspaceId}\u0000${userId}`);
  }

  /** Everything held about a company, for a data-access request. */
  async export(workspaceId: string, companyId: string): Promise<CompanyExport> {
    const company = await this.mustGet(workspaceId, companyId);
    const { members } = await this.reader.members(workspaceId, companyId);
    const events = await this.events.recent(workspaceId, companyPersonOf(companyId), MAX_EXPORTED_EVENTS);
    return { exportedAt: new Date(this.deps.clock.now()).toISOString(), company, members, events };
  }

  /**
   * Deletes a company, its memberships and its own server-side events (not
   * its users, whose events only forget the company), audited.
   */
  async erase(workspaceId: string, companyId: string, actor: Actor): Promise<CompanyErasure> {
    const erased = await this.writes.submit(
      async (trx) => {
        const result = await this.store.erase(trx, workspaceId, companyId);
        if (!result) throw new LumioError('not_found', 'No company with this id in this workspace.');
        const events = await this.events.eraseCompany(trx, workspaceId, companyId);
        await this.audit.record(
          workspaceId,
          actor,
          'company.erase',
          { type: 'company', id: companyId },
          { members: result.members, events: events.deleted, eventsDetached: events.detached },
          trx,
        );
        return { ...result, ...events };
      },
      companyKey(workspaceId, companyId),
    );
    return { erased: true, companyId, membershipsDeleted: erased.members, eventsDeleted: erased.deleted, eventsDetached: erased.detached };
  }

  /** One company, or not_found. */
  async mustGet(workspaceId: string, companyId: string): Promise<CompanyRecord> {
    const company = await this.reader.get(workspaceId, companyId);
    if (!company) throw new LumioError('not_found', 'No company with this id in this workspace.');
    return company;
  }
}

function companyKey(workspaceId: string, companyId: string): string {
  return `${workspaceId}\u0000company\u0000${companyId}`;
}

function toRecord(company: StoredCompany): CompanyRecord {
  return {
    companyId: company.companyId,
    name: company.name,
    properties: company.properties,
    sources: company.sources,
    createdAt: company.createdAt,
    updatedAt: company.updatedAt,
  };
}
