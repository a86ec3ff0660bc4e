import { ROLES, type Role } from '@lumio/protocol';

const RANK: Record<Role, number> = { owner: 3, admin: 2, member: 1 };

/** Whether `role` is at least `required`. */
export function hasRole(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}

/** Whether a value is a role name. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
