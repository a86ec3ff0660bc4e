import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Guards } from '../http/guards.js';
import { parseWith } from '../http/parse-body.js';
import { actorOf } from '../http/actor.js';
import { workspaceOf } from '../http/request-context.js';
import type { HelpCenterService } from './help-center-service.js';
import { IMPORT_LIMITS } from './help-center-files.js';
import { SLUG_PATTERN, excerptOf } from './help-center-content.js';
import { renderMarkdown } from '../content/render-markdown.js';

// An article body may be longer than the server-wide body limit; an import carries many.
const ARTICLE_BODY_LIMIT = 512 * 1024;
const IMPORT_BODY_LIMIT = 32 * 1024 * 1024;

/** Limits of what a team writes into the help center. */
export const HELP_CENTER_LIMITS = Object.freeze({ titleLength: 200, bodyLength: 100_000, excerptLength: 500, slugLength: 80 });

const L = HELP_CENTER_LIMITS;
const slug = z
  .string()
  .trim()
  .min(1)
  .max(L.slugLength)
  .regex(SLUG_PATTERN, 'must be lower-case words joined by hyphens, like "reset-your-password"');
const position = z.number().int().min(-1_000_000).max(1_000_000);
const collectionFields = {
  name: z.string().trim().min(1).max(120),
  slug,
  description: z.string().max(1000),
  position,
};
const articleFields = {
  title: z.string().trim().min(1).max(L.titleLength),
  slug,
  body: z.string().max(L.bodyLength),
  excerpt: z.string().trim().max(L.excerptLength).nullable(),
  collectionId: z.string().max(80).nullable(),
  position,
  status: z.enum(['draft', 'published']),
  // The condition is checked in full by the condition language, which says where it is wrong.
  audience: z
    .object({ condition: z.unknown(), properties: z.enum(['all', 'trusted']).optional() })
    .strict()
    .nullable(),
};

/** The help center's content in the dashboard: members and above write it. */
export function registerHelpCenterRoutes(app: FastifyInstance, helpCenter: HelpCenterService, guards: Guards): void {
  const member = guards.workspaceRoute('member');
  const base = '/api/v1/workspaces/:workspaceId/help';
  const param = (request: FastifyRequest, name: 'collectionId' | 'articleId') => (request.params as Record<string, string>)[name]!;

  app.get(`${base}/collections`, member, async (request) => ({ collections: await helpCenter.listCollections(workspaceOf(request).id) }));
  app.post(`${base}/collections`, member, async (request, reply) => {
    const body = parseWith(
      z
        .object({
          ...collectionFields,
          slug: slug.optional(),
          description: collectionFields.description.optional(),
          position: position.optional(),
        })
        .strict(),
      request.body,
    );
    return reply.status(201).send(await helpCenter.createCollection(workspaceOf(request).id, body, actorOf(request)));
  });
  app.patch(`${base}/collections/:collectionId`, member, async (request) => {
    const body = parseWith(z.object(collectionFields).partial().strict(), request.body);
    return helpCenter.updateCollection(workspaceOf(request).id, param(request, 'collectionId'), body, actorOf(request));
  });
  app.delete(`${base}/collections/:collectionId`, member, async (request, reply) => {
    await helpCenter.deleteCollection(workspaceOf(request).id, param(request, 'collectionId'), actorOf(request));
    return reply.status(204).send();
  });

  // The whole help center as Markdown files with front matter, and back.
  app.get(`${base}/export`, member, async (request) => ({ files: await helpCenter.exportFiles(workspaceOf(request).id) }));
  app.post(`${base}/import`, { ...member, bodyLimit: IMPORT_BODY_LIMIT }, async (request) => {
    const body = parseWith(
      z.object({ files: z.array(z.object({ path: z.string().max(300), content: z.string() }).strict()).max(IMPORT_LIMITS.files) }).strict(),
      request.body,
    );
    return helpCenter.importFiles(workspaceOf(request).id, body.files, actorOf(request));
  });

  app.get(`${base}/articles`, member, async (request) => {
    const { collectionId } = parseWith(z.object({ collectionId: z.string().max(80).optional() }), request.query);
    return { articles: await helpCenter.listArticles(workspaceOf(request).id, { collectionId }) };
  });
  app.post(`${base}/articles`, { ...member, bodyLimit: ARTICLE_BODY_LIMIT }, async (request, reply) => {
    const body = parseWith(z.object(articleFields).partial().required({ title: true }).strict(), request.body);
    return reply.status(201).send(await helpCenter.createArticle(workspaceOf(request).id, body, actorOf(request)));
  });
  // What a body will look like, rendered and sanitised by the renderer a save uses; nothing is stored.
  app.post(`${base}/articles/preview`, { ...member, bodyLimit: ARTICLE_BODY_LIMIT }, async (request) => {
    const { body } = parseWith(z.object({ body: articleFields.body }).strict(), request.body);
    const html = renderMarkdown(body);
    return { html, excerpt: excerptOf(html) };
  });
  app.get(`${base}/articles/:articleId`, member, async (request) =>
    helpCenter.getArticle(workspaceOf(request).id, param(request, 'articleId')),
  );
  app.patch(`${base}/articles/:articleId`, { ...member, bodyLimit: ARTICLE_BODY_LIMIT }, async (request) => {
    const body = parseWith(z.object(articleFields).partial().strict(), request.body);
    return helpCenter.updateArticle(workspaceOf(request).id, param(request, 'articleId'), body, actorOf(request));
  });
  app.delete(`${base}/articles/:articleId`, member, async (request, reply) => {
    await helpCenter.deleteArticle(workspaceOf(request).id, param(request, 'articleId'), actorOf(request));
    return reply.status(204).send();
  });
}
