import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { STANDARD_TRAITS, type WebhookEventType } from '@lumio/protocol';
import type { AppDeps } from '../../http/app-deps.js';
import type { Database } from '../../db/schema.js';
import { parseJson } from '../../db/schema.js';
import type { CompaniesStore, CompanyInput } from '../../companies/companies-store.js';
import { recordWebhookEvent, webhookEndpointsOf, type WebhookEndpointInterest } from '../../webhooks/webhook-outbox.js';
import { emptyProfile, mergeProfile, type StoredProfile } from '../profile-merge.js';
import type { UsersStore } from '../users-store.js';
import { USER_COLUMNS } from '../identify-statements.js';
import type { ImportRow } from './import-row.js';

type UserRow = Database['users'];

// Rows one synchronous SQLite run writes before the event loop gets a turn.
const SQLITE_SLICE = 250;

/** What one batch did. */
export interface BatchResult {
  created: number;
  updated: number;
  unchanged: number;
  /** Memo keys of the companies written: the caller remembers them once the batch has committed (rememberCompanies). */
  companies: string[];
}

// Every column the upsert binds, in the order of its placeholders (params() follows it).
const COLUMNS = USER_COLUMNS;
// An existing user keeps its creation time, trust and last-seen time: an import is not activity.
const UPDATED = ['name', 'email', 'birthday', 'gender', 'properties', 'sources', 'updated_at'] as const;

interface Pending {
  row: UserRow | undefined;
  before: StoredProfile;
  profile: StoredProfile;
  changed: boolean;
}

/**
 * Stores one batch of import rows in the caller's transaction. The batch's
 * users that do not exist yet are inserted first (insert-or-ignore), so a
 * fresh import reads nothing back; only the ids already there are read (on
 * PostgreSQL locked), merged in memory with trusted values
 * (users/profile-merge.ts, the server API's precedence) and written back.
 * On SQLite each statement is a prepared single-row one run per user
 * (adapter.runEach, cheaper there than one wide statement); on PostgreSQL
 * each is one statement for the whole batch that binds one array per column
 * (`unnest`: a dozen parameters whatever the batch size, where a VALUES
 * list needs 12 a row; the two cost the same to run).
 * Companies go through CompaniesStore; a webhook event is recorded per
 * created or changed user only when an endpoint wants it (endpoints read
 * once per batch).
 */
export class ImportBatchWriter {
  constructor(
    private readonly deps: Pick<AppDeps, 'adapter' | 'clock'>,
    private readonly users: UsersStore,
    private readonly companies: CompaniesStore,
  ) {}

  /** Writes the rows (any order, the same userId any number of times: later rows win like later calls). */
  async write(trx: Kysely<Database>, workspaceId: string, given: readonly ImportRow[], memo = newImportMemo()): Promise<BatchResult> {
    const now = this.deps.clock.now();
    // A row naming an id merged into another (users/user-merge.ts) updates the survivor, as identify and the server API do.
    const rows = await this.resolveAliases(trx, workspaceId, given, memo);
    const inserted = await this.insertNew(trx, workspaceId, rows, now);
    const pending = await this.readExisting(
      trx,
      workspaceId,
      rows.filter((row) => !inserted.has(row.userId)),
    );
    for (const row of rows) {
      if (inserted.has(row.userId)) continue;
      const user = pending.get(row.userId)!;
      const merged = mergeProfile(user.profile, { traits: row.traits, properties: row.properties }, 'trusted');
      if (!merged.changed) continue;
      user.profile = merged.profile;
      user.changed = true;
    }
    const written = [...pending.entries()].filter(([, user]) => user.changed || !user.row);
    written.push(...inserted);
    // Before the write, inside its transaction: identify's copies must never outlive it (identify-snapshot-cache.ts).
    // Only users that existed can have copies (a missing user is never kept), so a fresh import tells no one.
    await this.users.forgetIdentifySnapshots(
      trx,
      workspaceId,
      written.filter(([userId]) => !inserted.has(userId)).map(([userId]) => userId),
    );
    await this.upsert(
      trx,
      workspaceId,
      written.filter(([userId]) => !inserted.has(userId)).map(([userId, user]) => this.params(workspaceId, userId, user, now)),
    );
    const companies = await this.writeCompanies(trx, workspaceId, rows, now, memo);
    const endpoints = await webhookEndpointsOf(trx, workspaceId);
    let created = 0;
    for (const [userId, user] of written) {
      if (!user.row) created++;
      if (!wants(endpoints, user.row ? 'user.updated' : 'user.created')) continue;
      const payload = userPayload(userId, user, now);
      if (!user.row) {
        await recordWebhookEvent(trx, workspaceId, 'user.created', payload, now, endpoints);
        continue;
      }
      // A value that only became trusted (same value, stronger source) is no change to a receiver.
      const changed = changedKeys(user);
      if (changed.length > 0) await recordWebhookEvent(trx, workspaceId, 'user.updated', { ...payload, changed }, now, endpoints);
    }
    return { created, updated: written.length - created, unchanged: pending.size + inserted.size - written.length, companies };
  }

  // Reads whether the workspace has merged ids once per import; only then are a batch's ids looked up.
  private async resolveAliases(
    trx: Kysely<Database>,
    workspaceId: string,
    rows: readonly ImportRow[],
    memo: ImportMemo,
  ): Promise<readonly ImportRow[]> {
    memo.hasAliases ??=
      (await trx.selectFrom('user_aliases').select('alias_id').where('workspace_id', '=', workspaceId).limit(1).executeTakeFirst()) !==
      undefined;
    if (!memo.hasAliases) return rows;
    const found = await trx
      .selectFrom('user_aliases')
      .select(['alias_id', 'user_id'])
      .where('workspace_id', '=', workspaceId)
      .where('alias_id', 'in', [...new Set(rows.map((row) => row.userId))])
      .execute();
    if (found.length === 0) return rows;
    const survivor = new Map(found.map((a) => [a.alias_id, a.user_id]));
    return rows.map((row) => (survivor.has(row.userId) ? { ...row, userId: survivor.get(row.userId)! } : row));
  }

  // Inserts each user of the batch that does not exist yet, with its rows merged onto an empty profile;
  // answers the users inserted. A concurrent writer's new row (PostgreSQL) makes this one wait, then skip it.
  private async insertNew(
    trx: Kysely<Database>,
    workspaceId: string,
    rows: readonly ImportRow[],
    now: number,
  ): Promise<Map<string, Pending>> {
    const fresh = new Map<string, Pending>();
    for (const row of rows) {
      const held = fresh.get(row.userId);
      const base = held?.profile ?? emptyProfile();
      const { profile } = mergeProfile(base, { traits: row.traits, properties: row.properties }, 'trusted');
      fresh.set(row.userId, { row: undefined, before: emptyProfile(), profile, changed: true });
    }
    const entries = [...fresh.entries()];
    const inserted = new Map<string, Pending>();
    const runEach = this.deps.adapter.runEach;
    if (!runEach) {
      const params = entries.map(([userId, user]) => this.params(workspaceId, userId, user, now));
      const result = await trx.executeQuery<{ user_id: string }>(CompiledQuery.raw(pgUpsert('nothing'), pgArrays(workspaceId, params)));
      for (const { user_id } of result.rows) inserted.set(user_id, fresh.get(user_id)!);
      return inserted;
    }
    for (let i = 0; i < entries.length; i += SQLITE_SLICE) {
      if (i > 0) await yieldToEventLoop();
      const slice = entries.slice(i, i + SQLITE_SLICE);
      const changes = runEach(
        SQLITE_INSERT,
        slice.map(([userId, user]) => this.params(workspaceId, userId, user, now)),
      );
      slice.forEach(([userId, user], j) => {
        if (changes[j] !== 0) inserted.set(userId, user);
      });
    }
    return inserted;
  }

  private async readExisting(trx: Kysely<Database>, workspaceId: string, rows: readonly ImportRow[]): Promise<Map<string, Pending>> {
    const ids = [...new Set(rows.map((r) => r.userId))];
    if (ids.length === 0) return new Map();
    let query = trx.selectFrom('users').selectAll().where('workspace_id', '=', workspaceId);
    // PostgreSQL: one array parameter (not a thousand), and locked, so another process's write to one of
    // these users waits for this batch instead of being overwritten by it.
    if (this.deps.adapter.name === 'postgres')
      query = query
        .where(sql<boolean>`user_id = any(${ids}::text[])`)
        .orderBy('user_id')
        .forUpdate();
    else query = query.where('user_id', 'in', ids);
    const found = new Map((await query.execute()).map((row) => [row.user_id, row]));
    const pending = new Map<string, Pending>();
    for (const userId of ids) {
      const row = found.get(userId);
      const profile = row ? storedProfile(row) : emptyProfile();
      pending.set(userId, { row, before: profile, profile, changed: false });
    }
    return pending;
  }

  private params(workspaceId: string, userId: string, user: Pending, now: number): unknown[] {
    const p = user.profile;
    const json = (value: unknown) => this.deps.adapter.json(value);
    return [
      workspaceId,
      userId,
      p.name,
      p.email,
      p.birthday,
      p.gender,
      json(p.properties),
      json(p.sources),
      user.row?.trust ?? 'identified',
      user.row?.created_at ?? now,
      now,
      user.row ? user.row.last_seen_at : null,
    ];
  }

  private async upsert(trx: Kysely<Database>, workspaceId: string, rows: unknown[][]): Promise<void> {
    if (rows.length === 0) return;
    const runEach = this.deps.adapter.runEach;
    if (!runEach) {
      await trx.executeQuery(CompiledQuery.raw(pgUpsert('update'), pgArrays(workspaceId, rows)));
      return;
    }
    // SQLite runs synchronously on the event loop: in slices, with a turn for
    // other requests between them (a health check answers; writes still queue).
    for (let i = 0; i < rows.length; i += SQLITE_SLICE) {
      if (i > 0) await yieldToEventLoop();
      runEach(SQLITE_UPSERT, rows.slice(i, i + SQLITE_SLICE));
    }
  }

  // Companies of the batch: each written once with its rows' values in file order, then each membership once.
  private async writeCompanies(
    trx: Kysely<Database>,
    workspaceId: string,
    rows: readonly ImportRow[],
    now: number,
    memo: ImportMemo,
  ): Promise<string[]> {
    const written: string[] = [];
    const companies = new Map<string, CompanyInput>();
    const members = new Map<string, unknown[]>();
    for (const row of rows) {
      for (const company of row.companies) {
        const held = companies.get(company.id);
        companies.set(company.id, {
          id: company.id,
          ...(company.name !== undefined ? { name: company.name } : held?.name !== undefined ? { name: held.name } : {}),
          properties: { ...held?.properties, ...company.properties },
        });
        members.set(`${row.userId}\u0000${company.id}`, [workspaceId, company.id, row.userId, 'trusted', now, now]);
      }
    }
    for (const company of companies.values()) {
      // Many people share a company: the same trusted values again would change nothing, so it is written once per import.
      const key = `${company.id}\u0000${JSON.stringify(company)}`;
      if (memo.companies.has(key)) continue;
      await this.companies.upsert(trx, workspaceId, company, 'trusted', now);
      written.push(key);
    }
    await this.join(trx, workspaceId, [...members.values()]);
    return written;
  }

  // CompaniesStore.join for many memberships in one statement. A trusted
  // membership is the strongest there is, so "insert, or raise to trusted"
  // is exactly what join(…, 'trusted') does for each.
  private async join(trx: Kysely<Database>, workspaceId: string, rows: unknown[][]): Promise<void> {
    if (rows.length === 0) return;
    const runEach = this.deps.adapter.runEach;
    if (runEach) runEach(memberUpsert(`values (${MEMBER_COLUMNS.map(() => '?').join(', ')})`), rows);
    else {
      const arrays = MEMBER_TYPES.map((type, i) => `$${i + 2}::${type}[]`).join(', ');
      await trx.executeQuery(CompiledQuery.raw(memberUpsert(`select $1, * from unnest(${arrays})`), [workspaceId, ...transpose(rows, 1)]));
    }
  }
}

/** What one import remembers across its batches (bounded). */
export interface ImportMemo {
  /** Companies already written with these exact values. */
  companies: Set<string>;
  /** Whether the workspace has merged user ids (read at the first batch). */
  hasAliases?: boolean;
}

/** Remembers a committed batch's companies, up to a bound. */
export function rememberCompanies(memo: ImportMemo, keys: readonly string[]): void {
  for (const key of keys) if (memo.companies.size < MEMO_MAX_COMPANIES) memo.companies.add(key);
}

/** A new, empty memo for one import. */
export function newImportMemo(): ImportMemo {
  return { companies: new Set() };
}

const MEMO_MAX_COMPANIES = 100_000;
const MEMBER_COLUMNS = ['workspace_id', 'company_id', 'user_id', 'source', 'created_at', 'updated_at'] as const;
// PostgreSQL types of the columns after workspace_id, for unnest's arrays (COLUMNS' and MEMBER_COLUMNS' order).
const USER_TYPES = ['text', 'text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'text', 'bigint', 'bigint', 'bigint'] as const;
const MEMBER_TYPES = ['text', 'text', 'text', 'bigint', 'bigint'] as const;

const ON_CONFLICT_UPDATE = `on conflict (workspace_id, user_id) do update set ${UPDATED.map((c) => `${c} = excluded.${c}`).join(', ')}`;
const SQLITE_VALUES = `values (${COLUMNS.map(() => '?').join(', ')})`;
const SQLITE_INSERT = `insert into users (${COLUMNS.join(', ')}) ${SQLITE_VALUES} on conflict (workspace_id, user_id) do nothing`;
const SQLITE_UPSERT = `insert into users (${COLUMNS.join(', ')}) ${SQLITE_VALUES} ${ON_CONFLICT_UPDATE}`;

// PostgreSQL's statement for a whole batch: the workspace as $1, then one array per other column.
function pgUpsert(conflict: 'nothing' | 'update'): string {
  const arrays = USER_TYPES.map((type, i) => `$${i + 2}::${type}[]`).join(', ');
  const head = `insert into users (${COLUMNS.join(', ')}) select $1, * from unnest(${arrays}) `;
  return conflict === 'nothing' ? `${head}on conflict (workspace_id, user_id) do nothing returning user_id` : head + ON_CONFLICT_UPDATE;
}

function pgArrays(workspaceId: string, rows: unknown[][]): unknown[] {
  return [workspaceId, ...transpose(rows, 1)];
}

// Rows of parameters to one array per column, from column `from` on.
function transpose(rows: unknown[][], from: number): unknown[][] {
  const columns: unknown[][] = [];
  for (let c = from; c < rows[0]!.length; c++) columns.push(rows.map((row) => row[c]));
  return columns;
}

function memberUpsert(values: string): string {
  return (
    `insert into company_members (${MEMBER_COLUMNS.join(', ')}) ${values} ` +
    `on conflict (workspace_id, company_id, user_id) do update set source = excluded.source, updated_at = excluded.updated_at ` +
    `where company_members.source <> excluded.source`
  );
}

function wants(endpoints: readonly WebhookEndpointInterest[], type: WebhookEventType): boolean {
  return endpoints.some((e) => e.events.includes('*') || e.events.includes(type));
}

function storedProfile(row: UserRow): StoredProfile {
  return {
    name: row.name,
    email: row.email,
    birthday: row.birthday,
    gender: row.gender,
    properties: parseJson(row.properties, {}),
    sources: parseJson(row.sources, {}),
  };
}

// The user.created / user.updated payload (COMMON shapes: docs/webhooks.md).
function userPayload(userId: string, user: Pending, now: number): { user: Record<string, unknown> } {
  const p = user.profile;
  return {
    user: {
      id: userId,
      name: p.name,
      email: p.email,
      trust: user.row?.trust ?? 'identified',
      properties: p.properties,
      created_at: new Date(user.row?.created_at ?? now).toISOString(),
      updated_at: new Date(now).toISOString(),
    },
  };
}

/** The keys whose value the import changed: `name`, `properties.plan`, … */
function changedKeys(user: Pending): string[] {
  const changed: string[] = [];
  for (const trait of STANDARD_TRAITS) if (user.before[trait] !== user.profile[trait]) changed.push(trait);
  const keys = new Set([...Object.keys(user.before.properties), ...Object.keys(user.profile.properties)]);
  for (const key of keys) {
    if (JSON.stringify(user.before.properties[key]) !== JSON.stringify(user.profile.properties[key])) changed.push(`properties.${key}`);
  }
  return changed;
}
