import type { Role } from '../workspaces/roles.js';

/** A member of a workspace, as the team page (and the help center's author names) shows them. */
export interface MemberView {
  accountId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: number;
}

/** A pending invite; its token is only ever returned once, at creation. */
export interface InviteView {
  id: string;
  role: Role;
  /** The account that created it. */
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  /** The address the invite was emailed to (lower-case); null for a link-only invite. */
  email: string | null;
}

/** A link shown once: an invite or a password reset. */
export interface OneTimeLink {
  url: string;
  expiresAt: number;
}

/**
 * `POST …/invites`: the invite with its token and link, shown this once (also
 * when it was emailed, as a fallback). `emailed` says whether the email was
 * handed to the SMTP server; when not, `emailError` says why
 * (`email_not_configured` or `email_send_failed`); the invite exists either way.
 */
export interface CreatedInvite extends InviteView, OneTimeLink {
  token: string;
  emailed: boolean;
  emailError?: 'email_not_configured' | 'email_send_failed';
}

/** `POST …/members/:accountId/password-reset`: a reset link for a member, shown this once. */
export interface PasswordResetLink extends OneTimeLink {
  token: string;
}

/** `GET …/members`: oldest first. */
export interface MembersAnswer {
  members: MemberView[];
}

/** `GET …/invites`. */
export interface InvitesAnswer {
  invites: InviteView[];
}

/** `POST /invites/accept`: the workspace joined, with the role the invite gave. */
export interface AcceptedInvite {
  accountId: string;
  workspaceId: string;
  role: Role;
}
