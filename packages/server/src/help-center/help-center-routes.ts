import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  ARTICLE_PAGE,
  ARTICLE_TAG_LIMITS,
  articleBody,
  articlePatchBody,
  articlePreviewBody,
  collectionBody,
  collectionPatchBody,
  helpCenterImportBody,
  type ArticleSummariesAnswer,
  type CollectionViewsAnswer,
  type HelpCenterExport,
  type HelpImportJob,
  type HelpTopicsAnswer,
  type RenderedArticle,
} from '@lumio/protocol';
import type { Guards } from '../http/guards.js';
import { LumioError } from '../errors/lumio-error.js';
import { parseWith } from '../http/parse-body.js';
import { actorOf } from '../audit/actor-of.js';
import { workspaceOf } from '../http/request-context.js';
import type { HelpCenterService } from './help-center-service.js';
import { checkImportFiles } from './help-center-files.js';
import type { HelpImportJobs } from './help-import-jobs.js';
import { excerptOfText } from './help-center-content.js';
import { topicKey } from '../interests/interest-math.js';

// An article body may be longer than the server-wide body limit; an import carries many.
const ARTICLE_BODY_LIMIT = 512 * 1024;
const IMPORT_BODY_LIMIT = 32 * 1024 * 1024;

const articlesQuery = z.object({
  // A collection's id, or `none` for the articles outside any collection.
  collectionId: z.string().max(80).optional(),
  tag: z.string().max(ARTICLE_TAG_LIMITS.inputLength).optional(),
  limit: z.coerce.number().int().min(1).max(ARTICLE_PAGE.max).default(ARTICLE_PAGE.default),
  cursor: z.string().max(1000).optional(),
});

// `?tag=` of the article list: one tag, normalised like the tags it is compared with.
function tagQuery(raw: string): string {
  const key = topicKey(raw);
  if (key === null) throw new LumioError('invalid_tag', 'tag: a tag needs at least one letter a-z or digit.', { field: 'tag' });
  return key;
}

/** The help center's content in the dashboard: members and above write it. */
export function registerHelpCenterRoutes(
  app: FastifyInstance,
  helpCenter: HelpCenterService,
  imports: HelpImportJobs,
  guards: Guards,
): void {
  const member = guards.workspaceRoute('member');
  const base = '/api/v1/workspaces/:workspaceId/help';
  const param = (request: FastifyRequest, name: 'collectionId' | 'articleId') => (request.params as Record<string, string>)[name]!;

  app.get(`${base}/collections`, member, async (request): Promise<CollectionViewsAnswer> => {
    const workspaceId = workspaceOf(request).id;
    const [collections, articleCounts] = await Promise.all([
      helpCenter.listCollections(workspaceId),
      helpCenter.articleCounts(workspaceId),
    ]);
    return { collections, articleCounts };
  });
  app.post(`${base}/collections`, member, async (request, reply) => {
    const body = parseWith(collectionBody, request.body);
    return reply.status(201).send(await helpCenter.createCollection(workspaceOf(request).id, body, actorOf(request)));
  });
  app.patch(`${base}/collections/:collectionId`, member, async (request) => {
    const body = parseWith(collectionPatchBody, request.body);
    return helpCenter.updateCollection(workspaceOf(request).id, param(request, 'collectionId'), body, actorOf(request));
  });
  app.delete(`${base}/collections/:collectionId`, member, async (request, reply) => {
    await helpCenter.deleteCollection(workspaceOf(request).id, param(request, 'collectionId'), actorOf(request));
    return reply.status(204).send();
  });

  // The topics interest profiles are kept in (`interests.<topic>`): collection slugs and article tags.
  app.get(`${base}/topics`, member, async (request): Promise<HelpTopicsAnswer> => ({
    topics: await helpCenter.topics(workspaceOf(request).id),
  }));

  // The whole help center as Markdown files with front matter, and back.
  app.get(`${base}/export`, member, async (request): Promise<HelpCenterExport> => ({
    files: await helpCenter.exportFiles(workspaceOf(request).id),
  }));
  // An import renders up to 2,000 articles: it runs as a job, followed with GET …/import/:jobId. Bad files are refused at once.
  app.post(`${base}/import`, { ...member, bodyLimit: IMPORT_BODY_LIMIT }, async (request, reply): Promise<HelpImportJob> => {
    const { files } = parseWith(helpCenterImportBody, request.body);
    const read = await checkImportFiles(files);
    const workspaceId = workspaceOf(request).id;
    const actor = actorOf(request);
    const job = imports.start(workspaceId, (progress) => helpCenter.importFiles(workspaceId, read, actor, progress));
    return reply.status(202).send(job);
  });
  app.get(`${base}/import/:jobId`, member, async (request): Promise<HelpImportJob> =>
    imports.get(workspaceOf(request).id, (request.params as { jobId: string }).jobId),
  );

  app.get(`${base}/articles`, member, async (request): Promise<ArticleSummariesAnswer> => {
    const query = parseWith(articlesQuery, request.query);
    return helpCenter.pageArticles(workspaceOf(request).id, {
      collectionId: query.collectionId === 'none' ? null : query.collectionId,
      tag: query.tag === undefined ? undefined : tagQuery(query.tag),
      limit: query.limit,
      cursor: query.cursor,
    });
  });
  app.post(`${base}/articles`, { ...member, bodyLimit: ARTICLE_BODY_LIMIT }, async (request, reply) => {
    const body = parseWith(articleBody, request.body);
    return reply.status(201).send(await helpCenter.createArticle(workspaceOf(request).id, body, actorOf(request)));
  });
  // What a body will look like, rendered and sanitised by the renderer a save uses; nothing is stored.
  app.post(`${base}/articles/preview`, { ...member, bodyLimit: ARTICLE_BODY_LIMIT }, async (request): Promise<RenderedArticle> => {
    const { body } = parseWith(articlePreviewBody, request.body);
    const { html, text } = await helpCenter.renderPreview(body);
    return { html, excerpt: excerptOfText(text) };
  });
  app.get(`${base}/articles/:articleId`, member, async (request) =>
    helpCenter.getArticle(workspaceOf(request).id, param(request, 'articleId')),
  );
  app.patch(`${base}/articles/:articleId`, { ...member, bodyLimit: ARTICLE_BODY_LIMIT }, async (request) => {
    const body = parseWith(articlePatchBody, request.body);
    return helpCenter.updateArticle(workspaceOf(request).id, param(request, 'articleId'), body, actorOf(request));
  });
  app.delete(`${base}/articles/:articleId`, member, async (request, reply) => {
    await helpCenter.deleteArticle(workspaceOf(request).id, param(request, 'articleId'), actorOf(request));
    return reply.status(204).send();
  });
}
