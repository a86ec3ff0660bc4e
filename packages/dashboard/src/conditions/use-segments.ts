import type { SegmentsAnswer } from '@lumio/protocol';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/api-client.js';
import { segmentsKey } from './condition-api.js';

/** The workspace's saved segments, by name (for lists, pickers and `$segment` names); `enabled` false waits. */
export function useSegments(workspaceId: string, enabled = true) {
  return useQuery({
    queryKey: segmentsKey(workspaceId),
    queryFn: async () => (await api<SegmentsAnswer>(`/workspaces/${workspaceId}/segments`)).segments,
    enabled,
  });
}
