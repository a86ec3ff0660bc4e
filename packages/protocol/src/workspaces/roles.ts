/** Roles in a workspace, from most to least privileged. */
export const ROLES = ['owner', 'admin', 'member'] as const;

/** A member's role in a workspace. */
export type Role = (typeof ROLES)[number];
