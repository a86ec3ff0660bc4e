import type { Kysely } from 'kysely';
import type { AudienceView, SegmentView } from '@lumio/protocol';
import { ConditionError, compileCondition, describeCondition, validateCondition, type Condition } from '@lumio/targeting';
import type { AppDeps } from '../http/app-deps.js';
import { parseJson, type Database } from '../db/schema.js';
import { newId } from '../crypto/tokens.js';
import { LumioError } from '../errors/lumio-error.js';
import { conditionError } from '../errors/condition-error.js';
import type { Actor, AuditLog } from '../audit/audit-log.js';
import { conditionToSql } from '../targeting/condition-sql.js';
import type { AttributesView } from '../targeting/user-attributes.js';
import { InterestsReader } from '../interests/interests-reader.js';

/** How many matching users an audience preview lists. */
export const AUDIENCE_SAMPLE_SIZE = 10;
/** Segments a workspace may keep: they are loaded whole to resolve `$segment`. */
export const MAX_SEGMENTS_PER_WORKSPACE = 500;

/** Resolves `$segment` ids of one workspace to their conditions. */
export type SegmentResolver = (id: string) => Condition | undefined;

/** The notification channel that tells every process a workspace's targeting (segments, announcements) changed. */
export const TARGETING_CHANGED_CHANNEL = 'lumio_targeting_changed';

/**
 * Named, saved conditions of a workspace, usable inside other conditions as
 * `{ "$segment": "seg_…" }`. A segment that would name itself, directly or
 * through others, is refused when saved; one still in use cannot be deleted.
 */
export class SegmentsService {
  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'adapter'>,
    private readonly audit: AuditLog,
    private readonly onChange: (workspaceId: string) => Promise<void>,
  ) {
    this.interests = new InterestsReader(deps.db);
  }

  private readonly interests: InterestsReader;

  /** Every segment of a workspace, by name. */
  async list(workspaceId: string): Promise<SegmentView[]> {
    const rows = await this.deps.db.selectFrom('segments').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').execute();
    const names = new Map(rows.map((r) => [r.id, r.name]));
    return rows.map((row) => toView(row, names));
  }

  /** One segment; `not_found` for another workspace's. */
  async get(workspaceId: string, segmentId: string): Promise<SegmentView> {
    const rows = await this.rows(workspaceId);
    const row = rows.find((r) => r.id === segmentId);
    if (!row) throw new LumioError('not_found', 'No such segment in this workspace.');
    return toView(row, new Map(rows.map((r) => [r.id, r.name])));
  }

  /** The resolver for `$segment` in this workspace's conditions (segments of other workspaces are unknown ids). */
  async resolver(workspaceId: string, db: Kysely<Database> = this.deps.db): Promise<SegmentResolver> {
    const conditions = new Map((await this.rows(workspaceId, db)).map((r) => [r.id, parseJson<Condition>(r.condition, {})]));
    return (id) => conditions.get(id);
  }

  /** Creates a segment. */
  async create(
    workspaceId: string,
    input: { name: string; description?: string | undefined; condition: unknown },
    actor: Actor,
  ): Promise<SegmentView> {
    const now = this.deps.clock.now();
    const id = newId('seg', 9);
    const view = await this.deps.db.transaction().execute(async (trx) => {
      const rows = await this.rows(workspaceId, trx);
      if (rows.length >= MAX_SEGMENTS_PER_WORKSPACE)
        throw new LumioError('invalid_request', `A workspace keeps at most ${MAX_SEGMENTS_PER_WORKSPACE} segments.`, { field: 'name' });
      const name = uniqueName(rows, input.name, null);
      const condition = checkSegmentCondition(id, input.condition, rows);
      const row: Database['segments'] = {
        id,
        workspace_id: workspaceId,
        name,
        description: input.description?.trim() ?? '',
        condition: this.deps.adapter.json(condition),
        created_by: actor.id,
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto('segments').values(row).execute();
      await this.audit.record(workspaceId, actor, 'segment.create', { type: 'segment', id }, { name, condition }, trx);
      return toView({ ...row, condition }, new Map([...rows.map((r) => [r.id, r.name] as const), [id, name]]));
    });
    await this.onChange(workspaceId);
    return view;
  }

  /** Renames, redescribes or changes the condition of a segment; every announcement using it follows at once. */
  async update(
    workspaceId: string,
    segmentId: string,
    patch: { name?: string | undefined; description?: string | undefined; condition?: unknown },
    actor: Actor,
  ): Promise<SegmentView> {
    const now = this.deps.clock.now();
    const view = await this.deps.db.transaction().execute(async (trx) => {
      const rows = await this.rows(workspaceId, trx);
      const before = rows.find((r) => r.id === segmentId);
      if (!before) throw new LumioError('not_found', 'No such segment in this workspace.');
      const name = patch.name === undefined ? before.name : uniqueName(rows, patch.name, segmentId);
      const condition =
        patch.condition === undefined
          ? parseJson<Condition>(before.condition, {})
          : checkSegmentCondition(segmentId, patch.condition, rows);
      const description = patch.description === undefined ? before.description : patch.description.trim();
      await trx
        .updateTable('segments')
        .set({ name, description, condition: this.deps.adapter.json(condition), updated_at: now })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', segmentId)
        .execute();
      const changed = [
        ...(name !== before.name ? ['name'] : []),
        ...(description !== before.description ? ['description'] : []),
        ...(JSON.stringify(condition) !== JSON.stringify(parseJson(before.condition, {})) ? ['condition'] : []),
      ];
      await this.audit.record(workspaceId, actor, 'segment.update', { type: 'segment', id: segmentId }, { changed, name, condition }, trx);
      const after = { ...before, name, description, condition, updated_at: now };
      return toView(after, new Map(rows.map((r) => [r.id, r.id === segmentId ? name : r.name])));
    });
    await this.onChange(workspaceId);
    return view;
  }

  /** Deletes a segment no announcement or other segment uses (`segment_in_use` otherwise). */
  async delete(workspaceId: string, segmentId: string, actor: Actor): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const rows = await this.rows(workspaceId, trx);
      if (!rows.some((r) => r.id === segmentId)) throw new LumioError('not_found', 'No such segment in this workspace.');
      const usedBy = [
        ...rows
          .filter((r) => r.id !== segmentId && segmentsOf(parseJson<Condition>(r.condition, {})).includes(segmentId))
          .map((r) => ({ type: 'segment', id: r.id, name: r.name })),
        ...(await trx.selectFrom('announcements').select(['id', 'title', 'audience']).where('workspace_id', '=', workspaceId).execute())
          .filter((a) => {
            const audience = parseJson<{ condition?: Condition | null; segmentId?: string | null }>(a.audience, {});
            return audience.segmentId === segmentId || segmentsOf(audience.condition ?? {}).includes(segmentId);
          })
          .map((a) => ({ type: 'announcement', id: a.id, name: a.title })),
      ];
      if (usedBy.length > 0) throw new LumioError('segment_in_use', undefined, { usedBy });
      await trx.deleteFrom('segments').where('workspace_id', '=', workspaceId).where('id', '=', segmentId).execute();
      await this.audit.record(workspaceId, actor, 'segment.delete', { type: 'segment', id: segmentId }, {}, trx);
    });
    await this.onChange(workspaceId);
  }

  /**
   * Counts the workspace's stored users matching a condition, in SQL, and
   * lists a sample. `view` says which stored values count (all, or only
   * trusted ones); `verifiedOnly` keeps users who have been verified.
   */
  async audience(
    workspaceId: string,
    condition: unknown,
    options: { view?: AttributesView; verifiedOnly?: boolean } = {},
  ): Promise<AudienceView> {
    const checked = checkCondition(condition);
    const now = this.deps.clock.now();
    const [segment, halfLifeDays] = await Promise.all([this.resolver(workspaceId), this.interests.halfLifeDays(workspaceId)]);
    const where = conditionToSql(checked, {
      dialect: this.deps.adapter.name,
      now,
      view: options.view ?? 'all',
      segment,
      interests: { halfLifeDays, now },
    });
    let base = this.deps.db.selectFrom('users').where('workspace_id', '=', workspaceId).where(where);
    if (options.verifiedOnly) base = base.where('trust', '=', 'verified');
    const [counted, sample] = await Promise.all([
      base.select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirstOrThrow(),
      base
        .select(['user_id', 'name', 'email', 'trust', 'last_seen_at'])
        .orderBy('last_seen_at', 'desc')
        .orderBy('user_id')
        .limit(AUDIENCE_SAMPLE_SIZE)
        .execute(),
    ]);
    return {
      count: Number(counted.count),
      sample: sample.map((r) => ({ userId: r.user_id, name: r.name, email: r.email, trust: r.trust, lastSeenAt: r.last_seen_at })),
    };
  }

  private rows(workspaceId: string, db: Kysely<Database> = this.deps.db) {
    return db.selectFrom('segments').selectAll().where('workspace_id', '=', workspaceId).execute();
  }
}

/** Validates a condition for the API: `invalid_condition` with the located issues. */
export function checkCondition(input: unknown): Condition {
  const result = validateCondition(input);
  if (!result.ok) throw conditionError(result.issues);
  return result.condition;
}

/**
 * Compiles a condition against a workspace's segments, turning unknown
 * segments and cycles into `invalid_condition`.
 */
export function compileChecked(condition: Condition, segment: SegmentResolver) {
  try {
    return compileCondition(condition, { segment });
  } catch (error) {
    if (error instanceof ConditionError) throw conditionError(error.issues);
    throw error;
  }
}

function segmentsOf(condition: Condition): string[] {
  const result = validateCondition(condition);
  return result.ok ? result.segments : [];
}

function checkSegmentCondition(id: string, input: unknown, rows: Array<Database['segments']>): Condition {
  const condition = checkCondition(input);
  const conditions = new Map(rows.map((r) => [r.id, parseJson<Condition>(r.condition, {})]));
  conditions.set(id, condition);
  // Compiling the segment itself inlines every segment it reaches: a cycle or an unknown id fails here.
  compileChecked({ $segment: id } as Condition, (sid) => conditions.get(sid));
  return condition;
}

function uniqueName(rows: Array<Database['segments']>, input: string, self: string | null): string {
  const name = input.trim();
  if (rows.some((r) => r.id !== self && r.name.toLowerCase() === name.toLowerCase()))
    throw new LumioError('conflict', `A segment named "${name}" already exists in this workspace.`, { field: 'name' });
  return name;
}

function toView(row: Database['segments'], names: Map<string, string>): SegmentView {
  const condition = parseJson<Condition>(row.condition, {});
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    condition,
    summary: describeCondition(condition, { segmentName: (id) => names.get(id) }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
