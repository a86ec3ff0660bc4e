import type { Role } from '@lumio/protocol';

/** Role names for people. */
export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  member: 'Member',
};
