import { z } from 'zod';
import { ROLES } from '../workspaces/roles.js';

const role = z.enum(ROLES);

/**
 * `POST …/invites`: the role the invite gives (member unless said), and
 * optionally the address to email it to (checked by the server, which answers
 * `invalid_invite_email` for a bad one; an empty string means none).
 */
export const inviteBody = z.object({ role: role.default('member'), email: z.string().max(1024).optional() });

/** `PATCH …/members/:accountId`: the member's new role. */
export const memberRoleBody = z.object({ role });

/** `POST /invites/accept`: the token, and a new account's details unless the caller is signed in. */
export const acceptInviteBody = z.object({
  token: z.string().min(1).max(200),
  email: z.string().trim().max(320).optional(),
  password: z.string().max(1024).optional(),
  name: z.string().max(255).optional(),
});

/** What `POST …/invites` takes. */
export type InviteBody = z.input<typeof inviteBody>;
