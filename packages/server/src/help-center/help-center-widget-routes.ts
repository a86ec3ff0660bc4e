import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  SUGGESTED_LIMIT,
  type HelpArticleAnswer,
  type HelpArticlesAnswer,
  type HelpCollectionsAnswer,
  type HelpSuggestedAnswer,
} from '@lumio/protocol';
import { parseWith } from '../http/parse-body.js';
import type { WidgetApiHooks } from '../identity/widget-api-hooks.js';
import { MAX_ARTICLES_PER_ANSWER, type HelpCenterReader } from './help-center-reader.js';

/**
 * The widget's help center: collections, articles (by collection, saved,
 * or found by a query), one article, save / unsave and feedback. What a
 * session may read is decided by {@link HelpCenterReader}.
 */
export function registerHelpCenterWidgetRoutes(app: FastifyInstance, reader: HelpCenterReader, hooks: WidgetApiHooks): void {
  const { sessionOf, readRoute: read } = hooks;
  // Saves and feedback are writes.
  const write = hooks.writeRoute('help-write');
  const listQuery = z.object({
    collection: z.string().max(80).optional(),
    query: z.string().max(200).optional(),
    saved: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_ARTICLES_PER_ANSWER).optional(),
  });
  const suggestedQuery = z.object({
    limit: z.coerce.number().int().min(1).max(SUGGESTED_LIMIT.max).default(SUGGESTED_LIMIT.default),
  });
  const idParam = (request: FastifyRequest) => (request.params as { articleId: string }).articleId;

  app.get('/widget/v1/:widgetId/help/collections', read, async (request): Promise<HelpCollectionsAnswer> => {
    const widget = request.widget!;
    return { collections: await reader.collections(widget.workspaceId, sessionOf(request, widget)) };
  });

  app.get('/widget/v1/:widgetId/help/articles', read, async (request): Promise<HelpArticlesAnswer> => {
    const widget = request.widget!;
    const session = sessionOf(request, widget);
    const q = parseWith(listQuery, request.query);
    if (q.query !== undefined && q.query.trim() !== '')
      return { articles: await reader.search(widget.workspaceId, session, q.query, { limit: q.limit, collectionId: q.collection }) };
    return {
      articles: await reader.list(widget.workspaceId, session, { collectionId: q.collection, saved: q.saved === 'true', limit: q.limit }),
    };
  });

  // "Suggested for you" on the Help home: ranked for the viewer (relevance/).
  app.get('/widget/v1/:widgetId/help/suggested', read, async (request): Promise<HelpSuggestedAnswer> => {
    const widget = request.widget!;
    const { limit } = parseWith(suggestedQuery, request.query);
    return { articles: await reader.suggested(widget.workspaceId, sessionOf(request, widget), limit) };
  });

  app.get('/widget/v1/:widgetId/help/articles/:articleId', read, async (request): Promise<HelpArticleAnswer> => {
    const widget = request.widget!;
    return { article: await reader.get(widget.workspaceId, sessionOf(request, widget), idParam(request)) };
  });

  for (const saved of [true, false]) {
    app.post(`/widget/v1/:widgetId/help/articles/:articleId/${saved ? 'save' : 'unsave'}`, write, async (request) => {
      const widget = request.widget!;
      await reader.setSaved(widget.workspaceId, sessionOf(request, widget), idParam(request), saved);
      return { ok: true, saved };
    });
  }

  app.post('/widget/v1/:widgetId/help/articles/:articleId/feedback', write, async (request) => {
    const widget = request.widget!;
    const { helpful } = parseWith(z.object({ helpful: z.boolean() }).strict(), request.body);
    await reader.feedback(widget.workspaceId, sessionOf(request, widget), idParam(request), helpful);
    return { ok: true };
  });
}
