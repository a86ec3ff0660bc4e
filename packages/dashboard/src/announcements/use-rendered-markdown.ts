import type { RenderedBody } from '@lumio/protocol';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api/api-client.js';
import { useDebouncedValue } from '../conditions/use-debounced-value.js';

/**
 * The Markdown rendered and sanitised by the server (`POST …/announcements/preview`,
 * the renderer a save uses), once typing settles: the dashboard never renders
 * Markdown itself, so a preview cannot show HTML the widget would not.
 */
export function useRenderedMarkdown(workspaceId: string, markdown: string, enabled: boolean) {
  const body = useDebouncedValue(markdown, 400);
  return useQuery({
    queryKey: ['announcements', workspaceId, 'preview', body],
    queryFn: ({ signal }) => api<RenderedBody>(`/workspaces/${workspaceId}/announcements/preview`, { body: { body }, signal }),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
}
