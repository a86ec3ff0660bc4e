import { sql, type Kysely, type SqlBool } from 'kysely';
import type {
  ArticleAudience,
  ArticleCounts,
  ArticleSummariesAnswer,
  ArticleView,
  CollectionView,
  HelpCenterFile,
  HelpTopicView,
  ImportResult,
} from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import { newId } from '../crypto/tokens.js';
import { LumioError } from '../errors/lumio-error.js';
import type { Actor, AuditLog } from '../audit/audit-log.js';
import type { RenderedMarkdown } from '../content/markdown-renderer.js';
import { checkCondition, compileChecked, type SegmentsService } from '../segments/segments-service.js';
import type { ArticleSearch } from './search/article-search.js';
import { checkImportFiles, exportHelpCenter, type ImportedArticle, type ReadHelpCenterFiles } from './help-center-files.js';
import {
  ARTICLE_SUMMARY_COLUMNS,
  articleCursor,
  articleSummaryView,
  articleView,
  audienceOfArticle,
  collectionView,
  excerptOf,
  excerptOfText,
  slugify,
} from './help-center-content.js';
import { articleRow, collectionRow, freeSlug } from './help-center-rows.js';
import { normaliseTags, storedTags, taggedWith, tagsOfArticle } from './article-tags.js';
import { listHelpTopics } from './help-topics.js';

/** Fields of a collection a team sets. */
export interface CollectionInput {
  name?: string | undefined;
  slug?: string | undefined;
  description?: string | undefined;
  position?: number | undefined;
  /** Keeps the team's position for every viewer when the widget orders collections per viewer. */
  pinned?: boolean | undefined;
}

/** Fields of an article a team sets. */
export interface ArticleInput {
  title?: string | undefined;
  slug?: string | undefined;
  body?: string | undefined;
  excerpt?: string | null | undefined;
  collectionId?: string | null | undefined;
  position?: number | undefined;
  status?: 'draft' | 'published' | undefined;
  audience?: { condition: unknown; properties?: 'all' | 'trusted' | undefined } | null | undefined;
  /** Raw topic strings, normalised by article-tags.ts; null or [] for none. */
  tags?: readonly string[] | null | undefined;
}

/**
 * The help center's content, written by members and above: collections and
 * articles, Markdown rendered and sanitised once when saved, slugs unique per
 * workspace, an optional audience per article. Every change is audited.
 */
export class HelpCenterService {
  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'adapter' | 'markdown'>,
    private readonly audit: AuditLog,
    private readonly segments: SegmentsService,
    private readonly onChange: (workspaceId: string) => Promise<void>,
    private readonly search: ArticleSearch,
  ) {}

  /** The workspace's collections in their order. */
  async listCollections(workspaceId: string): Promise<CollectionView[]> {
    const rows = await this.deps.db
      .selectFrom('collections')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('position')
      .orderBy('name')
      .execute();
    return rows.map(collectionView);
  }

  /** Creates a collection. */
  async createCollection(
    workspaceId: string,
    input: CollectionInput & { name: string },
    actor: Actor,
    outer?: Kysely<Database>,
  ): Promise<CollectionView> {
    const now = this.deps.clock.now();
    const row = await this.write(workspaceId, outer, async (trx) => {
      const row: Database['collections'] = {
        id: newId('col', 9),
        workspace_id: workspaceId,
        name: input.name,
        slug: await freeSlug(trx, 'collections', workspaceId, input.slug ?? slugify(input.name), null, input.slug !== undefined),
        description: input.description ?? '',
        position: input.position ?? 0,
        pinned: input.pinned ? 1 : 0,
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto('collections').values(row).execute();
      await this.audit.record(workspaceId, actor, 'collection.create', { type: 'collection', id: row.id }, { name: row.name }, trx);
      return row;
    });
    return collectionView(row);
  }

  /** Changes a collection. */
  async updateCollection(
    workspaceId: string,
    id: string,
    input: CollectionInput,
    actor: Actor,
    outer?: Kysely<Database>,
  ): Promise<CollectionView> {
    const now = this.deps.clock.now();
    const row = await this.write(workspaceId, outer, async (trx) => {
      const before = await collectionRow(trx, workspaceId, id);
      const next: Database['collections'] = {
        ...before,
        name: input.name ?? before.name,
        slug: input.slug === undefined ? before.slug : await freeSlug(trx, 'collections', workspaceId, input.slug, id, true),
        description: input.description ?? before.description,
        position: input.position ?? before.position,
        pinned: input.pinned === undefined ? before.pinned : input.pinned ? 1 : 0,
        updated_at: now,
      };
      const changed = (['name', 'slug', 'description', 'position', 'pinned'] as const).filter((k) => next[k] !== before[k]);
      // Nothing new (a re-import of unchanged files): no write, no audit entry.
      if (changed.length === 0) return before;
      await trx.updateTable('collections').set(next).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
      await this.audit.record(workspaceId, actor, 'collection.update', { type: 'collection', id }, { changed }, trx);
      return next;
    });
    return collectionView(row);
  }

  /** Deletes a collection; its articles stay, outside any collection. */
  async deleteCollection(workspaceId: string, id: string, actor: Actor): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const row = await collectionRow(trx, workspaceId, id);
      await trx
        .updateTable('articles')
        .set({ collection_id: null })
        .where('workspace_id', '=', workspaceId)
        .where('collection_id', '=', id)
        .execute();
      await trx.deleteFrom('collections').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
      await this.audit.record(workspaceId, actor, 'collection.delete', { type: 'collection', id }, { name: row.name }, trx);
    });
    await this.onChange(workspaceId);
  }

  /** Every article of the workspace (drafts included), bodies too, by position then title: for the export. */
  private async allArticles(workspaceId: string): Promise<ArticleView[]> {
    const rows = await this.deps.db
      .selectFrom('articles')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('position')
      .orderBy('title')
      .orderBy('id')
      .execute();
    return rows.map(articleView);
  }

  /**
   * One page of the workspace's articles (drafts included) without their
   * bodies, by position, title and id; `collectionId` narrows to one
   * collection, or with `null` to the articles outside any; `tag` (a topic
   * key) to the articles tagged with it. The cursor is the
   * last row's sort key, so a page stays right while articles are added.
   */
  async pageArticles(
    workspaceId: string,
    options: { collectionId?: string | null | undefined; tag?: string | undefined; limit: number; cursor?: string | undefined },
  ): Promise<ArticleSummariesAnswer> {
    let query = this.deps.db.selectFrom('articles').select(ARTICLE_SUMMARY_COLUMNS).where('workspace_id', '=', workspaceId);
    if (options.collectionId === null) query = query.where('collection_id', 'is', null);
    else if (options.collectionId !== undefined) query = query.where('collection_id', '=', options.collectionId);
    if (options.tag !== undefined) query = query.where(taggedWith(this.deps.adapter, options.tag));
    if (options.cursor !== undefined) {
      const [position, title, id] = articleCursor(options.cursor);
      query = query.where(sql<SqlBool>`(position, title, id) > (${position}, ${title}, ${id})`);
    }
    const rows = await query
      .orderBy('position')
      .orderBy('title')
      .orderBy('id')
      .limit(options.limit + 1)
      .execute();
    const page = rows.slice(0, options.limit);
    const last = page.at(-1);
    return {
      articles: page.map(articleSummaryView),
      nextCursor:
        rows.length > options.limit && last
          ? Buffer.from(JSON.stringify([last.position, last.title, last.id])).toString('base64url')
          : null,
    };
  }

  /** How many articles the help center holds, in all, outside any collection and in each. */
  async articleCounts(workspaceId: string): Promise<ArticleCounts> {
    const rows = await this.deps.db
      .selectFrom('articles')
      .select(['collection_id', (eb) => eb.fn.countAll<number | string>().as('count')])
      .where('workspace_id', '=', workspaceId)
      .groupBy('collection_id')
      .execute();
    const counts: ArticleCounts = { total: 0, unfiled: 0, byCollection: {} };
    for (const row of rows) {
      const count = Number(row.count);
      counts.total += count;
      if (row.collection_id === null) counts.unfiled += count;
      else counts.byCollection[row.collection_id] = count;
    }
    return counts;
  }

  /** One article of the workspace, draft or not. */
  async getArticle(workspaceId: string, id: string): Promise<ArticleView> {
    return articleView(await articleRow(this.deps.db, workspaceId, id));
  }

  /** Creates an article (a draft unless `status` says otherwise). */
  async createArticle(
    workspaceId: string,
    input: ArticleInput & { title: string },
    actor: Actor,
    outer?: Kysely<Database>,
    rendered?: RenderedMarkdown,
  ): Promise<ArticleView> {
    const now = this.deps.clock.now();
    const tags = normaliseTags(input.tags);
    const audience = await this.checkAudience(workspaceId, input.audience, outer);
    const body = input.body ?? '';
    // Rendered before the transaction (an import renders first and passes the HTML): a slow document must not hold a write transaction open.
    const { html, text } = rendered ?? (await this.deps.markdown.render(body, `article "${input.title}"`));
    const row = await this.write(workspaceId, outer, async (trx) => {
      if (input.collectionId) await collectionRow(trx, workspaceId, input.collectionId, 'collectionId');
      const status = input.status ?? 'draft';
      const row: Database['articles'] = {
        id: newId('art', 9),
        workspace_id: workspaceId,
        collection_id: input.collectionId ?? null,
        title: input.title,
        slug: await freeSlug(trx, 'articles', workspaceId, input.slug ?? slugify(input.title), null, input.slug !== undefined),
        body_markdown: body,
        body_html: html,
        excerpt: input.excerpt ?? excerptOfText(text),
        position: input.position ?? 0,
        status,
        audience: this.deps.adapter.json(audience),
        tags: storedTags(tags, this.deps.adapter.json),
        author_id: actor.id,
        created_at: now,
        updated_at: now,
        published_at: status === 'published' ? now : null,
      };
      await trx.insertInto('articles').values(row).execute();
      await this.audit.record(workspaceId, actor, 'article.create', { type: 'article', id: row.id }, { title: row.title, status }, trx);
      await this.search.index(trx, row, text);
      return { ...row, audience, tags };
    });
    return articleView(row);
  }

  /** Changes an article; what changed is audited. */
  async updateArticle(
    workspaceId: string,
    id: string,
    input: ArticleInput,
    actor: Actor,
    outer?: Kysely<Database>,
    rendered?: RenderedMarkdown,
  ): Promise<ArticleView> {
    const now = this.deps.clock.now();
    const tags = input.tags === undefined ? undefined : normaliseTags(input.tags);
    const audience = input.audience === undefined ? undefined : await this.checkAudience(workspaceId, input.audience, outer);
    const body =
      input.body === undefined
        ? undefined
        : (rendered ?? (await this.deps.markdown.render(input.body, `article ${input.title ? `"${input.title}"` : id}`)));
    const row = await this.write(workspaceId, outer, async (trx) => {
      const before = await articleRow(trx, workspaceId, id);
      // Audience and tags parsed, so that what changed compares values and not their JSON text.
      const parsedBefore: Database['articles'] = { ...before, audience: audienceOfArticle(before), tags: tagsOfArticle(before) };
      const next: Database['articles'] = { ...parsedBefore, updated_at: now };
      if (input.title !== undefined) next.title = input.title;
      if (input.slug !== undefined) next.slug = await freeSlug(trx, 'articles', workspaceId, input.slug, id, true);
      if (input.body !== undefined && input.body !== before.body_markdown) {
        next.body_markdown = input.body;
        next.body_html = body!.html;
        if (input.excerpt === undefined) next.excerpt = excerptOfText(body!.text);
      }
      if (input.excerpt !== undefined) next.excerpt = input.excerpt ?? excerptOf(next.body_html);
      if (input.collectionId !== undefined) {
        if (input.collectionId !== null) await collectionRow(trx, workspaceId, input.collectionId, 'collectionId');
        next.collection_id = input.collectionId;
      }
      if (input.position !== undefined) next.position = input.position;
      if (audience !== undefined) next.audience = audience;
      if (tags !== undefined) next.tags = tags;
      if (input.status !== undefined) {
        next.status = input.status;
        if (input.status === 'published' && before.status !== 'published') next.published_at = now;
      }
      const changed = (
        ['title', 'slug', 'body_markdown', 'excerpt', 'collection_id', 'position', 'status', 'audience', 'tags'] as const
      ).filter((k) => JSON.stringify(next[k]) !== JSON.stringify(parsedBefore[k]));
      // Nothing new (a re-import of unchanged files): no write, no audit entry, no re-indexing.
      if (changed.length === 0) return parsedBefore;
      await trx
        .updateTable('articles')
        .set({ ...next, audience: this.deps.adapter.json(next.audience), tags: storedTags(next.tags as string[], this.deps.adapter.json) })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .execute();
      await this.audit.record(workspaceId, actor, 'article.update', { type: 'article', id }, { changed }, trx);
      // The worker's text when the body changed; otherwise the index makes it from the stored HTML.
      await this.search.index(trx, next, next.body_html === before.body_html ? undefined : body?.text);
      return next;
    });
    return articleView(row);
  }

  /** Deletes an article with its saves and feedback. */
  async deleteArticle(workspaceId: string, id: string, actor: Actor): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const row = await articleRow(trx, workspaceId, id);
      await trx.deleteFrom('article_saves').where('workspace_id', '=', workspaceId).where('article_id', '=', id).execute();
      await trx.deleteFrom('article_feedback').where('workspace_id', '=', workspaceId).where('article_id', '=', id).execute();
      await trx.deleteFrom('articles').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
      await this.search.remove(trx, workspaceId, id);
      await this.audit.record(workspaceId, actor, 'article.delete', { type: 'article', id }, { title: row.title }, trx);
    });
    await this.onChange(workspaceId);
  }

  /** The workspace's topics: collection slugs and article tags, with how many of each (see help-topics.ts). */
  topics(workspaceId: string): Promise<HelpTopicView[]> {
    return listHelpTopics(this.deps.db, workspaceId);
  }

  /** A body rendered and sanitised as a save would store it (the editor's preview); nothing is stored. */
  renderPreview(body: string): Promise<RenderedMarkdown> {
    return this.deps.markdown.render(body, 'the article preview');
  }

  /** The whole help center as Markdown files with front matter (see help-center-files.ts). */
  async exportFiles(workspaceId: string): Promise<HelpCenterFile[]> {
    return exportHelpCenter(await this.listCollections(workspaceId), await this.allArticles(workspaceId));
  }

  /**
   * Imports exported files: collections and articles are matched by slug,
   * created when new and updated when they exist (nothing is deleted). All
   * or nothing: any bad file is reported with its path and nothing is saved.
   */
  async importFiles(
    workspaceId: string,
    files: HelpCenterFile[] | ReadHelpCenterFiles,
    actor: Actor,
    progress: (rendered: number, total: number) => void = () => {},
  ): Promise<ImportResult> {
    // Files already read (and checked) by the route, or files to read now.
    const { collections, articles } = Array.isArray(files) ? await checkImportFiles(files) : files;
    // Every body is rendered (in the worker pool, one at a time so an import never fills its queue) before the
    // transaction opens: a document that is refused fails the import with nothing saved, and no write waits on a render.
    const rendered = new Map<ImportedArticle, RenderedMarkdown>();
    progress(0, articles.length);
    for (const a of articles) {
      rendered.set(a, await this.renderImported(a));
      progress(rendered.size, articles.length);
    }
    const counts = { collections: { created: 0, updated: 0 }, articles: { created: 0, updated: 0 } };
    await this.deps.db.transaction().execute(async (trx) => {
      const existingCollections = new Map(
        (await trx.selectFrom('collections').select(['id', 'slug']).where('workspace_id', '=', workspaceId).execute()).map((c) => [
          c.slug,
          c.id,
        ]),
      );
      const folderIds = new Map<string, string>();
      for (const c of collections) {
        const input = { name: c.name, slug: c.slug, description: c.description, position: c.position, pinned: c.pinned };
        const id = existingCollections.get(c.slug);
        const view = id
          ? await this.updateCollection(workspaceId, id, input, actor, trx)
          : await this.createCollection(workspaceId, input, actor, trx);
        counts.collections[id ? 'updated' : 'created']++;
        folderIds.set(c.folder, view.id);
      }
      const existingArticles = new Map(
        (await trx.selectFrom('articles').select(['id', 'slug']).where('workspace_id', '=', workspaceId).execute()).map((a) => [
          a.slug,
          a.id,
        ]),
      );
      for (const a of articles) {
        const input = {
          title: a.title,
          slug: a.slug,
          body: a.body,
          excerpt: a.excerpt,
          collectionId: a.folder === null ? null : folderIds.get(a.folder)!,
          position: a.position,
          status: a.status,
          audience: a.audience,
          tags: a.tags,
        };
        const id = existingArticles.get(a.slug);
        try {
          if (id) await this.updateArticle(workspaceId, id, input, actor, trx, rendered.get(a));
          else await this.createArticle(workspaceId, input, actor, trx, rendered.get(a));
        } catch (error) {
          // Name the file: a bad audience condition is only found here.
          if (error instanceof LumioError)
            throw new LumioError(error.code, `${a.path}: ${error.message}`, { ...error.details, path: a.path });
          throw error;
        }
        counts.articles[id ? 'updated' : 'created']++;
      }
    });
    await this.onChange(workspaceId);
    return counts;
  }

  // An imported body, named by its file in a refusal; waits out a full queue (the import runs in the background).
  private async renderImported(a: ImportedArticle): Promise<RenderedMarkdown> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.deps.markdown.render(a.body, `${a.path} ("${a.title}")`);
      } catch (error) {
        if (error instanceof LumioError && error.code === 'rendering_busy' && attempt < 100) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          continue;
        }
        if (error instanceof LumioError) throw new LumioError(error.code, error.message, { ...error.details, path: a.path }, error.headers);
        throw error;
      }
    }
  }

  // Runs a change in its own transaction and tells every process, or inside a caller's (an import), which does both.
  private async write<T>(
    workspaceId: string,
    outer: Kysely<Database> | undefined,
    change: (trx: Kysely<Database>) => Promise<T>,
  ): Promise<T> {
    if (outer) return change(outer);
    const result = await this.deps.db.transaction().execute(change);
    await this.onChange(workspaceId);
    return result;
  }

  // Checks the condition resolves in this workspace (segments included) before it is stored.
  private async checkAudience(
    workspaceId: string,
    input: ArticleInput['audience'],
    db?: Kysely<Database>,
  ): Promise<ArticleAudience | null> {
    if (input === null || input === undefined) return null;
    const condition = checkCondition(input.condition);
    compileChecked(condition, await this.segments.resolver(workspaceId, db));
    return { condition, properties: input.properties ?? 'all' };
  }
}
