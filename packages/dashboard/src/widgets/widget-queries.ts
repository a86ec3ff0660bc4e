import type { IdentityLogAnswer, IdentityStats, SecretsAnswer, WidgetInstallAnswer, WidgetsAnswer, WidgetView } from '@lumio/protocol';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../api/api-client.js';

/** The query-key prefix of a workspace's widgets: invalidating it refreshes every widget query. */
export function widgetsKey(workspaceId: string) {
  return ['workspaces', workspaceId, 'widgets'] as const;
}

/** Query keys and loaders of the widgets area. */
export const widgetQueries = {
  list: (workspaceId: string) =>
    queryOptions({
      queryKey: [...widgetsKey(workspaceId), 'list'],
      queryFn: async () => (await api<WidgetsAnswer>(`/workspaces/${workspaceId}/widgets`)).widgets,
    }),
  widget: (workspaceId: string, widgetId: string) =>
    queryOptions({
      queryKey: [...widgetsKey(workspaceId), widgetId],
      queryFn: () => api<WidgetView>(widgetPath(workspaceId, widgetId)),
    }),
  install: (workspaceId: string, widgetId: string) =>
    queryOptions({
      queryKey: [...widgetsKey(workspaceId), widgetId, 'install'],
      queryFn: () => api<WidgetInstallAnswer>(`${widgetPath(workspaceId, widgetId)}/install`),
      staleTime: Infinity,
    }),
  secrets: (workspaceId: string, widgetId: string) =>
    queryOptions({
      queryKey: [...widgetsKey(workspaceId), widgetId, 'secrets'],
      queryFn: async () => (await api<SecretsAnswer>(`${widgetPath(workspaceId, widgetId)}/secrets`)).secrets,
    }),
  stats: (workspaceId: string, widgetId: string, hours: number) =>
    queryOptions({
      queryKey: [...widgetsKey(workspaceId), widgetId, 'identity-stats', hours],
      queryFn: () => api<IdentityStats>(`${widgetPath(workspaceId, widgetId)}/identity-stats?hours=${hours}`),
    }),
  failures: (workspaceId: string, widgetId: string) =>
    queryOptions({
      queryKey: [...widgetsKey(workspaceId), widgetId, 'identity-log', 'failed'],
      queryFn: async () =>
        (await api<IdentityLogAnswer>(`${widgetPath(workspaceId, widgetId)}/identity-log?outcome=failed&limit=50`)).entries,
    }),
};

/** The API path of one widget. */
export function widgetPath(workspaceId: string, widgetId: string): string {
  return `/workspaces/${workspaceId}/widgets/${encodeURIComponent(widgetId)}`;
}
