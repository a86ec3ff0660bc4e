import type { MembersAnswer } from '@lumio/protocol';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../api/api-client.js';

/**
 * The workspace's members: the Team page edits them; the audit log and the
 * help center name accounts by them. One key, so a change on the Team page
 * reaches the others.
 */
export function membersQuery(workspaceId: string) {
  return queryOptions({
    queryKey: ['workspaces', workspaceId, 'members'],
    queryFn: async () => (await api<MembersAnswer>(`/workspaces/${workspaceId}/members`)).members,
  });
}
