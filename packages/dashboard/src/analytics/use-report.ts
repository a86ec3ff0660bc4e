import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/api-client.js';

/** The answer of one analytics report for a body; the previous answer stays on screen while a new filter loads. */
export function useReport<T>(workspaceId: string, name: string, body: object, enabled = true) {
  return useQuery({
    queryKey: ['analytics', workspaceId, name, body],
    queryFn: ({ signal }) => api<T>(`/workspaces/${workspaceId}/analytics/reports/${name}`, { method: 'POST', body, signal }),
    placeholderData: keepPreviousData,
    enabled,
    staleTime: 60_000,
  });
}
