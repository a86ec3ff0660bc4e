import type { ArticleView, ArticleViewsAnswer, CollectionView, CollectionViewsAnswer, MembersAnswer, MemberView } from '@lumio/protocol';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../api/api-client.js';

/** The query-key prefix of a workspace's help center: invalidating it refreshes every help query. */
export function helpKey(workspaceId: string) {
  return ['workspaces', workspaceId, 'help'] as const;
}

/** The API path of a workspace's help center. */
export function helpPath(workspaceId: string): string {
  return `/workspaces/${workspaceId}/help`;
}

/** Query keys and loaders of the help center area. */
export const helpQueries = {
  collections: (workspaceId: string) =>
    queryOptions({
      queryKey: [...helpKey(workspaceId), 'collections'],
      queryFn: async () => (await api<CollectionViewsAnswer>(`${helpPath(workspaceId)}/collections`)).collections,
    }),
  articles: (workspaceId: string) =>
    queryOptions({
      queryKey: [...helpKey(workspaceId), 'articles'],
      queryFn: async () => (await api<ArticleViewsAnswer>(`${helpPath(workspaceId)}/articles`)).articles,
    }),
  article: (workspaceId: string, articleId: string) =>
    queryOptions({
      queryKey: [...helpKey(workspaceId), 'article', articleId],
      queryFn: () => api<ArticleView>(`${helpPath(workspaceId)}/articles/${encodeURIComponent(articleId)}`),
    }),
  members: (workspaceId: string) =>
    queryOptions({
      queryKey: ['workspaces', workspaceId, 'members'],
      queryFn: async () => (await api<MembersAnswer>(`/workspaces/${workspaceId}/members`)).members,
      staleTime: 60_000,
    }),
};
