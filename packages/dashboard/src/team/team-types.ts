// The team API's shapes. NOTE: keep in step with packages/server/src/team/team-service.ts.
import type { Role } from '../api/api-types.js';

/** `GET …/members`: a member of the workspace. */
export interface MemberView {
  accountId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: number;
}

/** `GET …/invites`: a pending invite (its link is shown once, at creation). */
export interface InviteView {
  id: string;
  role: Role;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
}

/** A link shown once: an invite or a password reset. */
export interface OneTimeLink {
  url: string;
  expiresAt: number;
}

/** Role names for people, with what each may do. */
export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  member: 'Member',
};
