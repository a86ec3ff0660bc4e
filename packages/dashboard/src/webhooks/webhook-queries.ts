import type { WebhookEndpointsAnswer, WebhookEndpointView } from '@lumio/protocol';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../api/api-client.js';

/** The query-key prefix of a workspace's webhooks: invalidating it refreshes every webhook query. */
export function webhooksKey(workspaceId: string) {
  return ['workspaces', workspaceId, 'webhooks'] as const;
}

/** The API path of a workspace's endpoints, or of one. */
export function webhookPath(workspaceId: string, endpointId?: string): string {
  return `/workspaces/${workspaceId}/webhooks${endpointId === undefined ? '' : `/${encodeURIComponent(endpointId)}`}`;
}

/** Query keys and loaders of the webhooks area. */
export const webhookQueries = {
  list: (workspaceId: string) =>
    queryOptions({
      queryKey: [...webhooksKey(workspaceId), 'list'],
      queryFn: async () => (await api<WebhookEndpointsAnswer>(webhookPath(workspaceId))).endpoints,
    }),
  endpoint: (workspaceId: string, endpointId: string) =>
    queryOptions({
      queryKey: [...webhooksKey(workspaceId), endpointId],
      queryFn: () => api<WebhookEndpointView>(webhookPath(workspaceId, endpointId)),
    }),
};
