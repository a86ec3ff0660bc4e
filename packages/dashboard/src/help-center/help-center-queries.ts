import type { ArticleSummariesAnswer, ArticleView, CollectionViewsAnswer, HelpTopicsAnswer } from '@lumio/protocol';
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api } from '../api/api-client.js';

/** The query-key prefix of a workspace's help center: invalidating it refreshes every help query. */
export function helpKey(workspaceId: string) {
  return ['workspaces', workspaceId, 'help'] as const;
}

/** The API path of a workspace's help center. */
export function helpPath(workspaceId: string): string {
  return `/workspaces/${workspaceId}/help`;
}

/** Articles in one page of the list. */
const ARTICLES_PAGE_SIZE = 50;

/** Query keys and loaders of the help center area. */
export const helpQueries = {
  /** The collections with the article counts their list shows. */
  collections: (workspaceId: string) =>
    queryOptions({
      queryKey: [...helpKey(workspaceId), 'collections'],
      queryFn: () => api<CollectionViewsAnswer>(`${helpPath(workspaceId)}/collections`),
    }),
  /** The articles (without bodies) of one collection, of none (`none`) or of all, a page at a time; `tag` narrows to one tag. */
  articles: (workspaceId: string, collection: string, tag: string | null = null) =>
    infiniteQueryOptions({
      queryKey: [...helpKey(workspaceId), 'articles', collection, tag],
      queryFn: ({ pageParam, signal }) => {
        const query = new URLSearchParams({ limit: String(ARTICLES_PAGE_SIZE) });
        if (collection !== 'all') query.set('collectionId', collection);
        if (tag !== null) query.set('tag', tag);
        if (pageParam) query.set('cursor', pageParam);
        return api<ArticleSummariesAnswer>(`${helpPath(workspaceId)}/articles?${query}`, { signal });
      },
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextCursor,
    }),
  /** The workspace's topics (collection slugs and article tags), the editor's tag suggestions. */
  topics: (workspaceId: string) =>
    queryOptions({
      queryKey: [...helpKey(workspaceId), 'topics'],
      queryFn: () => api<HelpTopicsAnswer>(`${helpPath(workspaceId)}/topics`),
    }),
  article: (workspaceId: string, articleId: string) =>
    queryOptions({
      queryKey: [...helpKey(workspaceId), 'article', articleId],
      queryFn: () => api<ArticleView>(`${helpPath(workspaceId)}/articles/${encodeURIComponent(articleId)}`),
    }),
};
