import type { AccountsService } from '../accounts/accounts-service.js';
import type { AuthSessions } from '../accounts/auth-sessions.js';
import type { Actor, AuditLog } from '../audit/audit-log.js';
import { ConfigError } from '../config/config.js';
import type { WorkspacesService } from '../workspaces/workspaces-service.js';

/** The person with a shell on the server: trusted with every account, and named as such in the audit log. */
export const OPERATOR: Actor = { type: 'cli', id: null, ip: null };

/** What `lumio accounts reset-password` did. */
export type AccountPasswordReset =
  | { kind: 'link'; accountId: string; token: string; expiresAt: number; workspaces: number }
  | { kind: 'password'; accountId: string; workspaces: number };

/**
 * The operator's way out when nobody on the web may reset an account (an
 * owner, or an account outside every admin's authority): with `password`, sets
 * it; without, issues a one-time reset link that no issuer's membership can
 * invalidate. Either way it ends every session of the account (whoever holds
 * one may be the reason for the reset) and writes an audit entry in each
 * workspace the account belongs to.
 */
export async function resetAccountPassword(
  services: { accounts: AccountsService; sessions: AuthSessions; workspaces: WorkspacesService; audit: AuditLog },
  email: string,
  password?: string,
): Promise<AccountPasswordReset> {
  const { accounts, sessions, workspaces, audit } = services;
  const accountId = await accounts.findIdByEmail(email);
  if (!accountId) throw new ConfigError(`No account with email ${email}.`);
  let result: AccountPasswordReset;
  const memberships = await workspaces.listForAccount(accountId);
  if (password !== undefined) {
    await accounts.setPassword(accountId, password);
    result = { kind: 'password', accountId, workspaces: memberships.length };
  } else {
    const reset = await accounts.createPasswordReset(accountId, null);
    result = { kind: 'link', accountId, ...reset, workspaces: memberships.length };
  }
  await sessions.destroyAll(accountId);
  const action = result.kind === 'password' ? 'account.password_reset' : 'account.password_reset_issue';
  for (const workspace of memberships)
    await audit.record(workspace.id, OPERATOR, action, { type: 'account', id: accountId }, { by: 'operator (CLI)', sessionsEnded: true });
  return result;
}
