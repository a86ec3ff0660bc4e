/** The query key of a workspace's segments (the list, the pickers). */
export function segmentsKey(workspaceId: string) {
  return ['segments', workspaceId] as const;
}
