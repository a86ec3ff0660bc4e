import type { Kysely } from 'kysely';
import type {
  AnnouncementAudience,
  AnnouncementStats,
  AnnouncementStatus,
  AnnouncementView,
  AudienceView,
  CreateAnnouncementInput,
  PatchAnnouncementInput,
  RenderedBody,
} from '@lumio/protocol';
import { describeCondition, type Condition } from '@lumio/targeting';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import { newId } from '../crypto/tokens.js';
import { LumioError } from '../errors/lumio-error.js';
import type { Actor, AuditLog } from '../audit/audit-log.js';
import { checkCondition, compileChecked, type SegmentsService } from '../segments/segments-service.js';
import { audienceOf, ctaOf, placementOf, statusAt } from './announcement.js';

/** Announcements a workspace may keep (drafts and ended ones included). */
export const MAX_ANNOUNCEMENTS_PER_WORKSPACE = 2000;

/**
 * Announcements of a workspace: the team writes them (members and above),
 * the server renders their Markdown once when saved, checks their audience
 * against the workspace's segments, and records every change in the audit log.
 */
export class AnnouncementsService {
  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'adapter' | 'markdown'>,
    private readonly audit: AuditLog,
    private readonly segments: SegmentsService,
    private readonly onChange: (workspaceId: string) => Promise<void>,
  ) {}

  /** The workspace's announcements, newest first; optionally only those with a status. */
  async list(workspaceId: string, status?: AnnouncementStatus): Promise<AnnouncementView[]> {
    const rows = await this.deps.db
      .selectFrom('announcements')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    const names = await this.segmentNames(workspaceId);
    const now = this.deps.clock.now();
    return rows.map((row) => toView(row, now, names)).filter((view) => status === undefined || view.status === status);
  }

  /** One announcement; `not_found` for another workspace's. */
  async get(workspaceId: string, id: string): Promise<AnnouncementView> {
    return toView(await this.row(workspaceId, id), this.deps.clock.now(), await this.segmentNames(workspaceId));
  }

  /** Creates an announcement (a draft unless `status` says otherwise). */
  async create(workspaceId: string, input: CreateAnnouncementInput, actor: Actor): Promise<AnnouncementView> {
    const now = this.deps.clock.now();
    const audience = await this.checkAudience(workspaceId, input.audience ?? {});
    const startsAt = input.startsAt ?? null;
    const endsAt = input.endsAt ?? null;
    checkSchedule(startsAt, endsAt);
    const state = stateFor(input.status ?? 'draft');
    const body = input.body ?? '';
    // Rendered before the transaction: a slow document must not hold a write transaction open.
    const bodyHtml = (await this.deps.markdown.render(body, `announcement "${input.title}"`)).html;
    const row: Database['announcements'] = {
      id: newId('ann', 9),
      workspace_id: workspaceId,
      kind: input.kind,
      title: input.title,
      body_markdown: body,
      body_html: bodyHtml,
      cta: this.deps.adapter.json(input.cta ?? null),
      banner_position: input.bannerPosition ?? 'top',
      banner_placement: input.bannerPlacement ?? null,
      audience: this.deps.adapter.json(audience),
      starts_at: startsAt,
      ends_at: endsAt,
      frequency: input.frequency ?? (input.kind === 'popup' ? 'once' : 'until_dismissed'),
      priority: input.priority ?? 0,
      state,
      published_at: state === 'published' ? now : null,
      created_by: actor.id,
      created_at: now,
      updated_at: now,
    };
    await this.deps.db.transaction().execute(async (trx) => {
      const { count } = await trx
        .selectFrom('announcements')
        .select((eb) => eb.fn.countAll<number | string>().as('count'))
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirstOrThrow();
      if (Number(count) >= MAX_ANNOUNCEMENTS_PER_WORKSPACE)
        throw new LumioError(
          'invalid_request',
          `A workspace keeps at most ${MAX_ANNOUNCEMENTS_PER_WORKSPACE} announcements; delete old ones.`,
        );
      await trx.insertInto('announcements').values(row).execute();
      await this.audit.record(
        workspaceId,
        actor,
        'announcement.create',
        { type: 'announcement', id: row.id },
        { kind: row.kind, title: row.title, status: statusAt(row, now), audience },
        trx,
      );
    });
    await this.onChange(workspaceId);
    return toView({ ...row, audience, cta: input.cta ?? null }, now, await this.segmentNames(workspaceId));
  }

  /** Changes an announcement; what changed (and any status change) is audited. */
  async update(workspaceId: string, id: string, patch: PatchAnnouncementInput, actor: Actor): Promise<AnnouncementView> {
    const now = this.deps.clock.now();
    const audience = patch.audience === undefined ? undefined : await this.checkAudience(workspaceId, patch.audience);
    const bodyHtml =
      patch.body === undefined
        ? undefined
        : (await this.deps.markdown.render(patch.body, `announcement ${patch.title ? `"${patch.title}"` : id}`)).html;
    const view = await this.deps.db.transaction().execute(async (trx) => {
      const before = await this.row(workspaceId, id, trx);
      const next: Database['announcements'] = { ...before, audience: audienceOf(before), cta: ctaOf(before), updated_at: now };
      if (patch.kind !== undefined) next.kind = patch.kind;
      if (patch.title !== undefined) next.title = patch.title;
      if (patch.body !== undefined && patch.body !== before.body_markdown) {
        next.body_markdown = patch.body;
        next.body_html = bodyHtml!;
      }
      if (patch.cta !== undefined) next.cta = patch.cta;
      if (patch.bannerPosition !== undefined) next.banner_position = patch.bannerPosition;
      if (patch.bannerPlacement !== undefined) next.banner_placement = patch.bannerPlacement;
      if (audience !== undefined) next.audience = audience;
      if (patch.startsAt !== undefined) next.starts_at = patch.startsAt;
      if (patch.endsAt !== undefined) next.ends_at = patch.endsAt;
      if (patch.frequency !== undefined) next.frequency = patch.frequency;
      if (patch.priority !== undefined) next.priority = patch.priority;
      checkSchedule(next.starts_at, next.ends_at);
      if (patch.status !== undefined) {
        next.state = stateFor(patch.status);
        // Published anew (from a draft or after it ended): it counts as new in feeds from now.
        if (next.state === 'published' && before.state !== 'published') next.published_at = now;
      }
      const changed = changedFields(before, next);
      if (changed.length === 0) return toView(before, now, await this.segmentNames(workspaceId, trx));
      await trx
        .updateTable('announcements')
        .set({ ...next, audience: this.deps.adapter.json(next.audience), cta: this.deps.adapter.json(next.cta) })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .execute();
      const target = { type: 'announcement', id };
      await this.audit.record(workspaceId, actor, 'announcement.update', target, { changed }, trx);
      const from = statusAt(before, now);
      const to = statusAt(next, now);
      if (from !== to) await this.audit.record(workspaceId, actor, 'announcement.status_change', target, { from, to }, trx);
      return toView(next, now, await this.segmentNames(workspaceId, trx));
    });
    await this.onChange(workspaceId);
    return view;
  }

  /** Deletes an announcement with its viewers' states. */
  async delete(workspaceId: string, id: string, actor: Actor): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const row = await this.row(workspaceId, id, trx);
      await trx.deleteFrom('announcement_states').where('workspace_id', '=', workspaceId).where('announcement_id', '=', id).execute();
      await trx.deleteFrom('announcements').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
      await this.audit.record(workspaceId, actor, 'announcement.delete', { type: 'announcement', id }, { title: row.title }, trx);
    });
    await this.onChange(workspaceId);
  }

  /** How many stored users the announcement's audience holds now, with a sample (SQL over the users table). */
  async audience(workspaceId: string, id: string): Promise<AudienceView> {
    const audience = audienceOf(await this.row(workspaceId, id));
    return this.segments.audience(workspaceId, combinedCondition(audience), {
      view: audience.properties === 'trusted' ? 'trusted' : 'all',
      verifiedOnly: audience.visibility === 'verified',
    });
  }

  /** Seen, clicked and dismissed counts over every viewer. */
  async stats(workspaceId: string, id: string): Promise<AnnouncementStats> {
    await this.row(workspaceId, id);
    const row = await this.deps.db
      .selectFrom('announcement_states')
      .select((eb) => [
        eb.fn.count<number | string>('seen_at').as('seen'),
        eb.fn.count<number | string>('clicked_at').as('clicked'),
        eb.fn.count<number | string>('dismissed_at').as('dismissed'),
      ])
      .where('workspace_id', '=', workspaceId)
      .where('announcement_id', '=', id)
      .executeTakeFirstOrThrow();
    return { seen: Number(row.seen), clicked: Number(row.clicked), dismissed: Number(row.dismissed) };
  }

  /** Seen, clicked and dismissed counts of every announcement of the workspace that has any, in one query (the dashboard's list). */
  async statsByAnnouncement(workspaceId: string): Promise<Record<string, AnnouncementStats>> {
    const rows = await this.deps.db
      .selectFrom('announcement_states')
      .select((eb) => [
        'announcement_id',
        eb.fn.count<number | string>('seen_at').as('seen'),
        eb.fn.count<number | string>('clicked_at').as('clicked'),
        eb.fn.count<number | string>('dismissed_at').as('dismissed'),
      ])
      .where('workspace_id', '=', workspaceId)
      .groupBy('announcement_id')
      .execute();
    const stats: Record<string, AnnouncementStats> = {};
    for (const row of rows)
      stats[row.announcement_id] = { seen: Number(row.seen), clicked: Number(row.clicked), dismissed: Number(row.dismissed) };
    return stats;
  }

  /** The body rendered and sanitised exactly as a save would store it, for the editor's preview; nothing is stored. */
  async renderPreview(body: string): Promise<RenderedBody> {
    return { html: (await this.deps.markdown.render(body, 'the announcement preview')).html };
  }

  // Validates the audience and that its condition and segment resolve in this workspace (no cycle, no unknown id).
  private async checkAudience(workspaceId: string, input: NonNullable<CreateAnnouncementInput['audience']>): Promise<AnnouncementAudience> {
    const audience: AnnouncementAudience = {
      condition: input.condition === undefined || input.condition === null ? null : checkCondition(input.condition),
      segmentId: input.segmentId ?? null,
      visibility: input.visibility ?? 'everyone',
      properties: input.properties ?? 'all',
    };
    const resolver = await this.segments.resolver(workspaceId);
    if (audience.segmentId !== null && resolver(audience.segmentId) === undefined)
      throw new LumioError('invalid_request', `There is no segment ${audience.segmentId} in this workspace.`, {
        field: 'audience.segmentId',
      });
    compileChecked(combinedCondition(audience), resolver);
    return audience;
  }

  private async row(workspaceId: string, id: string, db: Kysely<Database> = this.deps.db): Promise<Database['announcements']> {
    const row = await db
      .selectFrom('announcements')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new LumioError('not_found', 'No such announcement in this workspace.');
    return row;
  }

  private async segmentNames(workspaceId: string, db: Kysely<Database> = this.deps.db): Promise<Map<string, string>> {
    const rows = await db.selectFrom('segments').select(['id', 'name']).where('workspace_id', '=', workspaceId).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}

/** The one condition an audience stands for: its condition and its segment, both required. */
export function combinedCondition(audience: Pick<AnnouncementAudience, 'condition' | 'segmentId'>): Condition {
  const parts: Condition[] = [];
  if (audience.condition) parts.push(audience.condition);
  if (audience.segmentId) parts.push({ $segment: audience.segmentId } as Condition);
  return parts.length === 0 ? {} : parts.length === 1 ? parts[0]! : ({ $and: parts } as Condition);
}

/** Refuses a schedule that ends before it starts. */
function checkSchedule(startsAt: number | null, endsAt: number | null): void {
  if (startsAt !== null && endsAt !== null && endsAt <= startsAt)
    throw new LumioError('invalid_request', 'endsAt must be after startsAt.', { field: 'endsAt' });
}

function stateFor(status: 'draft' | 'live' | 'ended'): string {
  return status === 'live' ? 'published' : status;
}

// NOTE: the columns a team edits; keep in step with the patch fields in packages/protocol/src/announcements/announcement-input.ts.
const EDITABLE: Array<[keyof Database['announcements'], string]> = [
  ['kind', 'kind'],
  ['title', 'title'],
  ['body_markdown', 'body'],
  ['cta', 'cta'],
  ['banner_position', 'bannerPosition'],
  ['banner_placement', 'bannerPlacement'],
  ['audience', 'audience'],
  ['starts_at', 'startsAt'],
  ['ends_at', 'endsAt'],
  ['frequency', 'frequency'],
  ['priority', 'priority'],
  ['state', 'status'],
];

function changedFields(before: Database['announcements'], next: Database['announcements']): string[] {
  const parsed = { ...before, audience: audienceOf(before), cta: ctaOf(before) };
  return EDITABLE.filter(([column]) => JSON.stringify(parsed[column]) !== JSON.stringify(next[column])).map(([, field]) => field);
}

function toView(row: Database['announcements'], now: number, segmentNames: Map<string, string>): AnnouncementView {
  const audience = audienceOf(row);
  return {
    id: row.id,
    kind: row.kind as AnnouncementView['kind'],
    title: row.title,
    body: row.body_markdown,
    html: row.body_html,
    cta: ctaOf(row),
    bannerPosition: row.banner_position as AnnouncementView['bannerPosition'],
    bannerPlacement: placementOf(row),
    audience,
    audienceSummary: summarize(audience, segmentNames),
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    frequency: row.frequency as AnnouncementView['frequency'],
    priority: row.priority,
    status: statusAt(row, now),
    publishedAt: row.published_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function summarize(audience: AnnouncementAudience, segmentNames: Map<string, string>): string {
  const condition = combinedCondition(audience);
  const who = { everyone: 'everyone', identified: 'identified users', verified: 'verified users' }[audience.visibility];
  if (Object.keys(condition).length === 0) return who;
  const where = describeCondition(condition, { segmentName: (id) => segmentNames.get(id) });
  const trusted = audience.properties === 'trusted' ? ' (trusted values only)' : '';
  return `${audience.visibility === 'everyone' ? 'users' : who} where ${where}${trusted}`;
}
