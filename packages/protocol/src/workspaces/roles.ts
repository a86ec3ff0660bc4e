/** Roles in a workspace, from most to least privileged. */
export const ROLES = ['owner', 'admin', 'member'] as const;

/** A member's role in a workspace. */
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { owner: 3, admin: 2, member: 1 };

/** Whether `role` is at least `required`. */
export function hasRole(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}

/**
 * Whether `actor` ranks strictly above `target` (owner > admin > member).
 * Equal roles do not: an admin has no power over another admin, nor an owner over another owner.
 */
export function outranks(actor: Role, target: Role): boolean {
  return RANK[actor] > RANK[target];
}

/** Whether a value is a role name. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
