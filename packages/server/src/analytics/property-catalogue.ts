import type { Kysely } from 'kysely';
import type { PropertyCatalogueEntry, ValueFlag } from '@lumio/protocol';
import { dateValue } from '@lumio/targeting';
import type { AppDeps } from '../http/app-deps.js';
import { parseJson, type Database } from '../db/schema.js';
import type { ProfileSnapshot } from './event-snapshots.js';
import { DistinctSketch, hashValue } from './distinct-sketch.js';
import { keyFlags, valueFlags } from './value-flags.js';

/** Above this many distinct values a property is high-cardinality: too many values to break reports down by. */
export const HIGH_CARDINALITY_THRESHOLD = 1000;

const TRAITS = ['name', 'email', 'birthday', 'gender'] as const;
// Stored keys: a trait by its name, a property as `properties.<key>` (the sources' naming), so a
// property named like a trait keeps its own row. Property keys never hold a dot.
const PROPERTY_PREFIX = 'properties.';
const FLUSH_INTERVAL_MS = 5_000;
const MAX_BUFFERED_KEYS = 5_000;
const INSERT_CHUNK = 100;
/** The companies (most recently updated first) whose keys the catalogue lists: a bounded read, whatever their number. */
export const COMPANY_CATALOGUE_SAMPLE = 1000;
const COMPANY_PREFIX = 'company.';

interface Observation {
  workspaceId: string;
  key: string;
  types: Set<string>;
  first: number;
  last: number;
  sketch: DistinctSketch;
  flags: Set<ValueFlag>;
}

/**
 * The keys each workspace's profiles hold, learned from each new analytics
 * snapshot: value types, first and last seen, a distinct-value estimate (to
 * warn about high-cardinality properties) and flags for custom properties
 * that seem to hold emails, secrets, phone numbers, URLs or personal data.
 *
 * Only flags and sketches are stored, never values: the catalogue is read by
 * every member, and a copy of values here would outlive a user's erase, which
 * deletes their profile, snapshots and events.
 *
 * Observations are buffered and merged into the stored rows on a timer and
 * on {@link flush}. Rows merge (types and flags unite, times widen, sketches
 * merge), so any number of processes may flush at once: each merge reads and
 * writes its rows in one transaction, with the rows locked on PostgreSQL.
 */
export class PropertyCatalogue {
  private buffer = new Map<string, Observation>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(private readonly deps: Pick<AppDeps, 'db' | 'adapter' | 'logger' | 'clock' | 'storageHealth'>) {}

  /** Notes the keys and values of a new profile snapshot; writes happen later, in batches. */
  observe(workspaceId: string, snapshot: ProfileSnapshot, at: number): void {
    for (const trait of TRAITS) {
      const value = snapshot[trait];
      if (value === null) continue;
      this.note(workspaceId, trait, trait === 'birthday' ? 'date' : 'string', JSON.stringify(value), at, []);
    }
    for (const [key, value] of Object.entries(snapshot.properties)) {
      if (value === null || value === undefined) continue;
      const flags = keyFlags(key);
      // A list is one value (what a breakdown groups by); its items are checked one by one for flags.
      const strings = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
      for (const text of strings) flags.push(...valueFlags(text));
      this.note(workspaceId, `${PROPERTY_PREFIX}${key}`, typeOf(value), JSON.stringify(value), at, flags);
    }
    if (this.buffer.size >= MAX_BUFFERED_KEYS) void this.flush();
    else this.schedule();
  }

  private schedule(): void {
    if (this.buffer.size === 0 || this.timer) return;
    this.timer = setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  private note(workspaceId: string, key: string, type: string, value: string, at: number, flags: ValueFlag[]): void {
    const id = `${workspaceId}\u0000${key}`;
    let o = this.buffer.get(id);
    if (!o) {
      o = { workspaceId, key, types: new Set(), first: at, last: at, sketch: new DistinctSketch(), flags: new Set() };
      this.buffer.set(id, o);
    }
    o.types.add(type);
    o.first = Math.min(o.first, at);
    o.last = Math.max(o.last, at);
    o.sketch.add(hashValue(id, value));
    for (const flag of flags) o.flags.add(flag);
  }

  /** Merges everything buffered into the stored rows. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.flushing) await this.flushing;
    if (this.buffer.size === 0) return;
    const batch = this.buffer;
    this.buffer = new Map();
    this.flushing = this.write(batch).catch((error: unknown) => {
      if (!this.deps.storageHealth.recordIfFault(error, { writer: 'property catalogue' }))
        this.deps.logger.error({ err: error }, 'property catalogue flush failed');
      // Merging is idempotent: put the whole batch back for the next flush (rows already written merge again harmlessly).
      for (const [id, o] of batch) {
        const newer = this.buffer.get(id);
        if (newer) mergeInto(o, newer);
        this.buffer.set(id, o);
      }
      this.schedule();
    });
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
    }
  }

  /**
   * Every key of a workspace's profiles: traits first, then custom properties
   * by key, then its companies' attributes as `company.<key>` (what conditions
   * and breakdowns read).
   */
  async list(workspaceId: string): Promise<PropertyCatalogueEntry[]> {
    await this.flush();
    const [rows, companies] = await Promise.all([
      this.deps.db.selectFrom('property_catalogue').selectAll().where('workspace_id', '=', workspaceId).execute(),
      this.companyKeys(workspaceId),
    ]);
    const entries = rows.map((row): PropertyCatalogueEntry => {
      const property = row.key.startsWith(PROPERTY_PREFIX);
      const distinctEstimate = DistinctSketch.parse(row.sketch).estimate();
      return {
        key: property ? row.key.slice(PROPERTY_PREFIX.length) : row.key,
        kind: property ? 'property' : 'trait',
        types: parseJson<string[]>(row.types, []).sort(),
        firstSeenAt: Number(row.first_seen_at),
        lastSeenAt: Number(row.last_seen_at),
        distinctEstimate,
        highCardinality: distinctEstimate > HIGH_CARDINALITY_THRESHOLD,
        flags: parseJson<ValueFlag[]>(row.flags, []).sort(),
      };
    });
    const rank = (e: PropertyCatalogueEntry) => (e.kind === 'trait' ? TRAITS.indexOf(e.key as (typeof TRAITS)[number]) : TRAITS.length);
    const sorted = entries.sort((a, b) => rank(a) - rank(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return [...sorted, ...companies];
  }

  /**
   * The keys of the workspace's companies, read from the companies table (no
   * snapshot holds them): `company.id`, `company.name` when a company has
   * one, and each property key, over the {@link COMPANY_CATALOGUE_SAMPLE}
   * most recently updated companies. Distinct counts are exact within those.
   */
  private async companyKeys(workspaceId: string): Promise<PropertyCatalogueEntry[]> {
    const rows = await this.deps.db
      .selectFrom('companies')
      .select(['company_id', 'name', 'properties', 'created_at', 'updated_at'])
      .where('workspace_id', '=', workspaceId)
      .orderBy('updated_at', 'desc')
      .limit(COMPANY_CATALOGUE_SAMPLE)
      .execute();
    const found = new Map<string, { types: Set<string>; first: number; last: number; values: Set<string>; flags: Set<ValueFlag> }>();
    const note = (key: string, value: unknown, row: (typeof rows)[number], flags: ValueFlag[]) => {
      let o = found.get(key);
      if (!o) found.set(key, (o = { types: new Set(), first: Infinity, last: -Infinity, values: new Set(), flags: new Set() }));
      o.types.add(typeOf(value));
      o.first = Math.min(o.first, Number(row.created_at));
      o.last = Math.max(o.last, Number(row.updated_at));
      o.values.add(JSON.stringify(value));
      for (const flag of flags) o.flags.add(flag);
    };
    for (const row of rows) {
      note('id', row.company_id, row, []);
      if (row.name !== null) note('name', row.name, row, []);
      for (const [key, value] of Object.entries(parseJson<Record<string, unknown>>(row.properties, {}))) {
        // The company's own id and name are read from their columns, never from a property of that name.
        if (value === null || value === undefined || key === 'id' || key === 'name') continue;
        const flags = keyFlags(key);
        const strings = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
        for (const text of strings) flags.push(...valueFlags(text));
        note(key, value, row, flags);
      }
    }
    const order = (key: string) => (key === 'id' ? 0 : key === 'name' ? 1 : 2);
    return [...found.entries()]
      .sort(([a], [b]) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, o]) => ({
        key: `${COMPANY_PREFIX}${key}`,
        kind: 'company' as const,
        types: [...o.types].sort(),
        firstSeenAt: o.first,
        lastSeenAt: o.last,
        distinctEstimate: o.values.size,
        highCardinality: o.values.size > HIGH_CARDINALITY_THRESHOLD,
        flags: [...o.flags].sort(),
      }));
  }

  private async write(batch: Map<string, Observation>): Promise<void> {
    const byWorkspace = new Map<string, Observation[]>();
    for (const o of batch.values()) {
      const list = byWorkspace.get(o.workspaceId) ?? [];
      list.push(o);
      byWorkspace.set(o.workspaceId, list);
    }
    for (const [workspaceId, observations] of byWorkspace) {
      // Sorted keys: concurrent flushes take row locks in the same order, so they wait for each other, never deadlock.
      observations.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      await this.deps.db.transaction().execute((trx) => this.merge(trx, workspaceId, observations));
    }
  }

  private async merge(trx: Kysely<Database>, workspaceId: string, observations: Observation[]): Promise<void> {
    const json = (value: unknown) => this.deps.adapter.json(value) as never;
    const inserted = new Set<string>();
    for (let i = 0; i < observations.length; i += INSERT_CHUNK) {
      const chunk = observations.slice(i, i + INSERT_CHUNK);
      const rows = await trx
        .insertInto('property_catalogue')
        .values(
          chunk.map((o) => ({
            workspace_id: workspaceId,
            key: o.key,
            types: json([...o.types].sort()),
            first_seen_at: o.first,
            last_seen_at: o.last,
            sketch: o.sketch.toText(),
            flags: json([...o.flags].sort()),
          })),
        )
        .onConflict((oc) => oc.columns(['workspace_id', 'key']).doNothing())
        .returning('key')
        .execute();
      for (const row of rows) inserted.add(row.key);
    }
    const existing = observations.filter((o) => !inserted.has(o.key));
    for (let i = 0; i < existing.length; i += INSERT_CHUNK) {
      const chunk = existing.slice(i, i + INSERT_CHUNK);
      let query = trx
        .selectFrom('property_catalogue')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where(
          'key',
          'in',
          chunk.map((o) => o.key),
        )
        .orderBy('key');
      // SQLite has one writer: its transaction already keeps others out until it commits.
      if (this.deps.adapter.name === 'postgres') query = query.forUpdate();
      const stored = new Map((await query.execute()).map((row) => [row.key, row]));
      for (const o of chunk) {
        const row = stored.get(o.key);
        if (!row) continue;
        const merged: Observation = {
          workspaceId,
          key: o.key,
          types: new Set(parseJson<string[]>(row.types, [])),
          first: Number(row.first_seen_at),
          last: Number(row.last_seen_at),
          sketch: DistinctSketch.parse(row.sketch),
          flags: new Set(parseJson<ValueFlag[]>(row.flags, [])),
        };
        const before = stateOf(merged);
        mergeInto(merged, o);
        const after = stateOf(merged);
        // Most flushes repeat what is stored (same keys, values already counted): no write then.
        if (JSON.stringify(after) === JSON.stringify(before)) continue;
        await trx
          .updateTable('property_catalogue')
          .set({
            types: json(after.types),
            first_seen_at: after.first,
            last_seen_at: after.last,
            sketch: after.sketch,
            flags: json(after.flags),
          })
          .where('workspace_id', '=', workspaceId)
          .where('key', '=', o.key)
          .execute();
      }
    }
  }
}

function stateOf(o: Observation) {
  return { types: [...o.types].sort(), first: o.first, last: o.last, sketch: o.sketch.toText(), flags: [...o.flags].sort() };
}

function mergeInto(target: Observation, source: Observation): void {
  for (const type of source.types) target.types.add(type);
  target.first = Math.min(target.first, source.first);
  target.last = Math.max(target.last, source.last);
  target.sketch.merge(source.sketch);
  for (const flag of source.flags) target.flags.add(flag);
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'string') return Number.isNaN(dateValue(value)) ? 'string' : 'date';
  return typeof value === 'number' || typeof value === 'boolean' ? typeof value : 'string';
}
