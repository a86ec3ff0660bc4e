import type { PropertiesInput, ValueSource } from '@lumio/protocol';
import type { Kysely } from 'kysely';
import type { DialectAdapter } from '../db/dialects/dialect-adapter.js';
import type { Database } from '../db/schema.js';
import { parseJson } from '../db/schema.js';
import { emptyProfile, mergeProfile, type StoredProfile } from '../users/profile-merge.js';
import { recordWebhookEvent } from '../webhooks/webhook-outbox.js';

/** One company as stored: its values and each value's source (`name`, `properties.<key>`). */
export interface StoredCompany {
  workspaceId: string;
  companyId: string;
  name: string | null;
  properties: Record<string, unknown>;
  sources: Record<string, ValueSource>;
  createdAt: number;
  updatedAt: number;
}

/** A company as identify, the server API or an import hands it in. `name: null` unsets. */
export interface CompanyInput {
  id: string;
  name?: string | null;
  properties?: PropertiesInput;
}

const RANK: Record<ValueSource, number> = { unverified: 1, claimed: 2, trusted: 3 };

/**
 * Writes companies and memberships, in the caller's transaction. Values
 * follow the same source precedence as users' profiles (users/profile-merge.ts):
 * a browser's claim never overwrites what the server set. A change records a
 * `company.updated` webhook event in the same transaction.
 */
export class CompaniesStore {
  constructor(private readonly deps: { adapter: DialectAdapter }) {}

  /** Creates or updates one company; writes only when something changed. */
  async upsert(
    db: Kysely<Database>,
    workspaceId: string,
    input: CompanyInput,
    source: ValueSource,
    now: number,
  ): Promise<{ company: StoredCompany; created: boolean; changed: boolean }> {
    let read = db.selectFrom('companies').selectAll().where('workspace_id', '=', workspaceId).where('company_id', '=', input.id);
    // Users of one company are written in parallel transactions on PostgreSQL: lock the row, or
    // one merge would overwrite another's values. (SQLite has one writer at a time.)
    if (this.deps.adapter.name === 'postgres') read = read.forUpdate();
    const row = await read.executeTakeFirst();
    const stored: StoredProfile = row
      ? { ...emptyProfile(), name: row.name, properties: parseJson(row.properties, {}), sources: parseJson(row.sources, {}) }
      : emptyProfile();
    const traits = input.name === undefined ? {} : { name: input.name };
    const { profile, changed } = mergeProfile(stored, { traits, properties: input.properties ?? {} }, source);
    const company: StoredCompany = {
      workspaceId,
      companyId: input.id,
      name: profile.name,
      properties: profile.properties,
      sources: profile.sources,
      createdAt: row?.created_at ?? now,
      updatedAt: changed || !row ? now : row.updated_at,
    };
    const json = (v: unknown) => this.deps.adapter.json(v) as string;
    if (!row) {
      const inserted = await db
        .insertInto('companies')
        .values({
          workspace_id: workspaceId,
          company_id: input.id,
          name: profile.name,
          properties: json(profile.properties),
          sources: json(profile.sources),
          created_at: now,
          updated_at: now,
        })
        // Two users of a new company identify at once (PostgreSQL, two lanes): the second merges into the first's row.
        .onConflict((oc) => oc.columns(['workspace_id', 'company_id']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 1n) === 0) return this.upsert(db, workspaceId, input, source, now);
    } else if (changed) {
      await db
        .updateTable('companies')
        .set({ name: profile.name, properties: json(profile.properties), sources: json(profile.sources), updated_at: now })
        .where('workspace_id', '=', workspaceId)
        .where('company_id', '=', input.id)
        .execute();
    }
    if (!row || changed) {
      await recordWebhookEvent(db, workspaceId, 'company.updated', { company: companyPayload(company), created: !row }, now);
    }
    return { company, created: !row, changed: !row || changed };
  }

  /**
   * Records that a user belongs to a company, raising (never lowering) the
   * membership's source. The user and the company must exist.
   */
  async join(
    db: Kysely<Database>,
    workspaceId: string,
    userId: string,
    companyId: string,
    source: ValueSource,
    now: number,
  ): Promise<void> {
    const held = await db
      .selectFrom('company_members')
      .select('source')
      .where('workspace_id', '=', workspaceId)
      .where('company_id', '=', companyId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!held) {
      await db
        .insertInto('company_members')
        .values({ workspace_id: workspaceId, company_id: companyId, user_id: userId, source, created_at: now, updated_at: now })
        .onConflict((oc) => oc.columns(['workspace_id', 'company_id', 'user_id']).doNothing())
        .execute();
      return;
    }
    if (RANK[held.source as ValueSource] >= RANK[source]) return;
    await db
      .updateTable('company_members')
      .set({ source, updated_at: now })
      .where('workspace_id', '=', workspaceId)
      .where('company_id', '=', companyId)
      .where('user_id', '=', userId)
      .execute();
  }

  /** Removes a user from a company; whether they were a member. */
  async leave(db: Kysely<Database>, workspaceId: string, userId: string, companyId: string): Promise<boolean> {
    const result = await db
      .deleteFrom('company_members')
      .where('workspace_id', '=', workspaceId)
      .where('company_id', '=', companyId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Deletes a company and its memberships (the users stay); null when there was no such company. */
  async erase(db: Kysely<Database>, workspaceId: string, companyId: string): Promise<{ members: number } | null> {
    // Counted and deleted explicitly rather than left to the cascade, so the answer says how many went.
    const members = await db
      .deleteFrom('company_members')
      .where('workspace_id', '=', workspaceId)
      .where('company_id', '=', companyId)
      .executeTakeFirst();
    const company = await db
      .deleteFrom('companies')
      .where('workspace_id', '=', workspaceId)
      .where('company_id', '=', companyId)
      .executeTakeFirst();
    return Number(company.numDeletedRows) > 0 ? { members: Number(members.numDeletedRows) } : null;
  }
}

/** A company with the source to write it with, as identify plans it. */
/** A company's conflict key in the group commit: jobs writing one company never run side by side (db/group-commit.ts). */
export function companyKey(workspaceId: string, companyId: string): string {
  return `${workspaceId}\u0000c:${companyId}`;
}

export interface CompanyWrite {
  company: CompanyInput;
  source: ValueSource;
}

/**
 * Whether writing `writes` (in order) and joining the user to each company
 * with its source would change anything: one read, so a repeat identify that
 * names the same companies stays free of transactions.
 */
export async function companiesNeedWrite(
  db: Kysely<Database>,
  workspaceId: string,
  userId: string,
  writes: readonly CompanyWrite[],
): Promise<boolean> {
  if (writes.length === 0) return false;
  const ids = [...new Set(writes.map((w) => w.company.id))];
  const rows = await db
    .selectFrom('companies as c')
    .leftJoin('company_members as m', (join) =>
      join.onRef('m.workspace_id', '=', 'c.workspace_id').onRef('m.company_id', '=', 'c.company_id').on('m.user_id', '=', userId),
    )
    .select(['c.company_id', 'c.name', 'c.properties', 'c.sources', 'm.source as member_source'])
    .where('c.workspace_id', '=', workspaceId)
    .where('c.company_id', 'in', ids)
    .execute();
  if (rows.length < ids.length) return true;
  const held = new Map(
    rows.map((r) => [
      r.company_id,
      {
        profile: {
          ...emptyProfile(),
          name: r.name,
          properties: parseJson(r.properties, {}),
          sources: parseJson(r.sources, {}),
        } as StoredProfile,
        member: r.member_source as ValueSource | null,
      },
    ]),
  );
  for (const { company, source } of writes) {
    const entry = held.get(company.id)!;
    if (entry.member === null || RANK[entry.member] < RANK[source]) return true;
    const traits = company.name === undefined ? {} : { name: company.name };
    const merged = mergeProfile(entry.profile, { traits, properties: company.properties ?? {} }, source);
    if (merged.changed) return true;
    entry.profile = merged.profile;
  }
  return false;
}

/** A company as webhook payloads and the server API show it. */
export function companyPayload(company: StoredCompany): Record<string, unknown> {
  return {
    id: company.companyId,
    name: company.name,
    properties: company.properties,
    created_at: new Date(company.createdAt).toISOString(),
    updated_at: new Date(company.updatedAt).toISOString(),
  };
}
