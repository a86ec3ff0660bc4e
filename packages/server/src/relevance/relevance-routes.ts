import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ArticleRelevanceAnswer } from '@lumio/protocol';
import type { Guards } from '../http/guards.js';
import { parseWith } from '../http/parse-body.js';
import { workspaceOf } from '../http/request-context.js';
import type { RelevanceExplainer } from './relevance-explainer.js';

const explainQuery = z.object({
  userId: z.string().min(1).max(1024),
  query: z.string().max(200).optional(),
});

/** The dashboard's "why this ranks here": members may ask it of any user of their workspace. */
export function registerRelevanceRoutes(app: FastifyInstance, explainer: RelevanceExplainer, guards: Guards): void {
  app.get(
    '/api/v1/workspaces/:workspaceId/help/articles/:articleId/relevance',
    guards.workspaceRoute('member'),
    async (request): Promise<ArticleRelevanceAnswer> => {
      const { articleId } = request.params as { articleId: string };
      const q = parseWith(explainQuery, request.query);
      return explainer.explain(workspaceOf(request).id, articleId, q.userId, q.query);
    },
  );
}
