import type { AcceptedInvite, InviteView, MemberView, Role } from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import { LumioError } from '../errors/lumio-error.js';
import { hashToken, newId, newToken } from '../crypto/tokens.js';
import type { Actor, AuditLog } from '../audit/audit-log.js';
import type { AuthSessions } from '../accounts/auth-sessions.js';
import { AccountsService } from '../accounts/accounts-service.js';
import { requireMemberRole } from '../workspaces/member-role.js';
import { assertAccountPower, hasAccountPower } from '../workspaces/account-authority.js';

const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;
const MAX_EMAIL_LENGTH = 320;
// One @, something on each side, a dot in the domain, no spaces: what a mail server can route.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/**
 * The dashboard path of an invite link: the token in the #fragment (it reaches
 * no server log) and, for an invite sent to an address, that address, which
 * the accept page fills in and locks.
 */
export function invitePath(token: string, email: string | null): string {
  return `/app/invite#token=${encodeURIComponent(token)}${email ? `&email=${encodeURIComponent(email)}` : ''}`;
}

/** An invite just created: its token (shown once), and whether its email went out. */
export type NewInvite = InviteView & { token: string; emailed: boolean; emailError?: 'email_not_configured' | 'email_send_failed' };

/**
 * Normalises an invite's email address (trimmed, lower-case); null for none
 * (absent or empty), `invalid_invite_email` for anything that is not an address.
 */
export function inviteEmailOf(input: string | undefined): string | null {
  const email = (input ?? '').trim().toLowerCase();
  if (email === '') return null;
  if (email.length > MAX_EMAIL_LENGTH || !EMAIL_SHAPE.test(email)) throw new LumioError('invalid_invite_email');
  return email;
}

/** The team of a workspace: members, roles, invites by link or email, password resets. */
export class TeamService {
  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'mailer'>,
    private readonly audit: AuditLog,
    private readonly sessions: AuthSessions,
    private readonly accounts: AccountsService,
  ) {}

  /** Lists the members of a workspace. */
  async listMembers(workspaceId: string): Promise<MemberView[]> {
    const rows = await this.deps.db
      .selectFrom('members')
      .innerJoin('accounts', 'accounts.id', 'members.account_id')
      .select(['accounts.id', 'accounts.email', 'accounts.name', 'members.role', 'members.created_at'])
      .where('members.workspace_id', '=', workspaceId)
      .orderBy('members.created_at')
      .execute();
    return rows.map((r) => ({ accountId: r.id, email: r.email, name: r.name, role: r.role as Role, joinedAt: r.created_at }));
  }

  /** Changes a member's role; the last owner cannot be demoted, and only an owner makes or unmakes owners. */
  async changeRole(workspaceId: string, accountId: string, role: Role, actor: Actor, actorRole: Role): Promise<MemberView> {
    await this.deps.db.transaction().execute(async (trx) => {
      const currentRole = await requireMemberRole(trx, workspaceId, accountId);
      if ((currentRole === 'owner' || role === 'owner') && actorRole !== 'owner') {
        throw new LumioError('forbidden', 'Only an owner can make someone owner or change an owner’s role.');
      }
      if (currentRole === 'owner' && role !== 'owner') await this.assertAnotherOwner(trx, workspaceId, accountId);
      await trx.updateTable('members').set({ role }).where('workspace_id', '=', workspaceId).where('account_id', '=', accountId).execute();
      await this.audit.record(
        workspaceId,
        actor,
        'member.role_change',
        { type: 'account', id: accountId },
        { from: currentRole, to: role },
        trx,
      );
    });
    const member = (await this.listMembers(workspaceId)).find((m) => m.accountId === accountId);
    return member!;
  }

  /**
   * Removes a member. Ending the account's sessions is account power (they
   * serve every workspace it belongs to), so it happens only when the remover
   * has power over the account (see hasAccountPower); otherwise only the
   * membership goes, which is enough for this workspace: every dashboard
   * request checks membership afresh.
   */
  async removeMember(workspaceId: string, accountId: string, actor: Actor, actorRole: Role): Promise<{ sessionsEnded: boolean }> {
    const sessionsEnded = await this.deps.db.transaction().execute(async (trx) => {
      const currentRole = await requireMemberRole(trx, workspaceId, accountId);
      if (currentRole === 'owner' && actorRole !== 'owner') throw new LumioError('forbidden', 'Only an owner can remove an owner.');
      if (currentRole === 'owner') await this.assertAnotherOwner(trx, workspaceId, accountId);
      // Decided before the membership goes: the workspace it is removed from counts too.
      const power = actor.id !== null && (await hasAccountPower(trx, actor.id, accountId));
      await trx.deleteFrom('members').where('workspace_id', '=', workspaceId).where('account_id', '=', accountId).execute();
      await this.audit.record(
        workspaceId,
        actor,
        'member.remove',
        { type: 'account', id: accountId },
        { role: currentRole, sessionsEnded: power },
        trx,
      );
      return power;
    });
    if (sessionsEnded) await this.sessions.destroyAll(accountId);
    return { sessionsEnded };
  }

  /**
   * Creates an invite link with a role; the token is returned once. With an
   * email address, the invite records it and, when email is configured, the
   * link is emailed to it; a failed send keeps the invite (`emailed: false`
   * and the reason), and the audit entry says what happened to the email.
   */
  async createInvite(workspaceId: string, role: Role, actor: Actor, actorRole: Role, emailInput?: string): Promise<NewInvite> {
    if (role === 'owner' && actorRole !== 'owner') throw new LumioError('forbidden', 'Only an owner can invite an owner.');
    const email = inviteEmailOf(emailInput);
    const token = newToken('lin');
    const now = this.deps.clock.now();
    const invite = { id: newId('inv'), role, createdBy: actor.id ?? 'cli', createdAt: now, expiresAt: now + INVITE_TTL_MS, email };
    await this.deps.db
      .insertInto('invites')
      .values({
        id: invite.id,
        workspace_id: workspaceId,
        token_hash: hashToken(token),
        role,
        created_by: invite.createdBy,
        created_at: now,
        expires_at: invite.expiresAt,
        accepted_at: null,
        accepted_by: null,
        email,
      })
      .execute();
    const sent = email === null ? null : await this.emailInvite(workspaceId, actor, { ...invite, email, token });
    await this.audit.record(
      workspaceId,
      actor,
      'member.invite',
      { type: 'invite', id: invite.id },
      sent === null ? { role } : { role, email, emailed: sent.emailed, ...(sent.emailError ? { emailError: sent.emailError } : {}) },
    );
    return { ...invite, token, ...(sent ?? { emailed: false }) };
  }

  // Sends the invite's link to its address; never throws for the email's sake, so the invite is never lost.
  private async emailInvite(
    workspaceId: string,
    actor: Actor,
    invite: { email: string; token: string; role: Role; expiresAt: number },
  ): Promise<Pick<NewInvite, 'emailed' | 'emailError'>> {
    const mailer = this.deps.mailer;
    if (!mailer.configured) return { emailed: false, emailError: 'email_not_configured' };
    const workspace = await this.deps.db.selectFrom('workspaces').select('name').where('id', '=', workspaceId).executeTakeFirst();
    const inviter =
      actor.id === null
        ? undefined
        : await this.deps.db.selectFrom('accounts').select(['name', 'email']).where('id', '=', actor.id).executeTakeFirst();
    // Names are typed by people: one line each, so they cannot shape the email's headers or layout.
    const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
    const workspaceName = oneLine(workspace?.name ?? 'a workspace');
    const inviterName = inviter ? oneLine(`${inviter.name} (${inviter.email})`) : 'The Lumio operator';
    const url = mailer.link(invitePath(invite.token, invite.email));
    try {
      await mailer.send({
        to: invite.email,
        subject: `${inviterName} invites you to ${workspaceName} on Lumio`,
        text: [
          `${inviterName} invites you to join the workspace “${workspaceName}” on Lumio as ${invite.role}.`,
          '',
          `Accept the invite: ${url}`,
          '',
          `The link works once and expires on ${new Date(invite.expiresAt).toUTCString()}.`,
          `You will create your account with this address (${invite.email}), or join with the account you already have.`,
          'If you did not expect this invite, ignore this email.',
        ].join('\n'),
      });
      return { emailed: true };
    } catch (error) {
      if (error instanceof LumioError && error.code === 'email_send_failed') return { emailed: false, emailError: 'email_send_failed' };
      throw error;
    }
  }

  /** Lists pending (unused, unexpired) invites. */
  async listInvites(workspaceId: string): Promise<InviteView[]> {
    const rows = await this.deps.db
      .selectFrom('invites')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('accepted_at', 'is', null)
      .where('expires_at', '>', this.deps.clock.now())
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      role: r.role as Role,
      createdBy: r.created_by,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      email: r.email,
    }));
  }

  /** Revokes a pending invite. */
  async revokeInvite(workspaceId: string, inviteId: string, actor: Actor): Promise<void> {
    const result = await this.deps.db
      .deleteFrom('invites')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', inviteId)
      .where('accepted_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw new LumioError('not_found', 'No such pending invite in this workspace.');
    await this.audit.record(workspaceId, actor, 'member.invite_revoke', { type: 'invite', id: inviteId });
  }

  /**
   * Accepts an invite for an existing account (signed in) or a new one
   * (email + password); returns the account id and workspace. An invite sent
   * to an address makes a new account with that address only
   * (`invite_email_mismatch` for another; the address may be left out).
   */
  async acceptInvite(
    token: string,
    who: { accountId: string } | { email?: string | undefined; password: string; name?: string | undefined },
    ip: string | null,
  ): Promise<AcceptedInvite> {
    const now = this.deps.clock.now();
    const invite = await this.deps.db.selectFrom('invites').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
    if (!invite || invite.accepted_at !== null || invite.expires_at <= now) throw new LumioError('invalid_invite');
    const newAccount = 'accountId' in who ? null : { ...who, email: this.newAccountEmail(invite.email, who.email) };
    // The invite is claimed and the new account created in one transaction:
    // the loser of a race creates nothing.
    const accountId = await this.deps.db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable('invites')
        .set({ accepted_at: now })
        .where('id', '=', invite.id)
        .where('accepted_at', 'is', null)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) throw new LumioError('invalid_invite');
      const id = 'accountId' in who ? who.accountId : (await this.accounts.create(newAccount!, trx)).id;
      await trx.updateTable('invites').set({ accepted_by: id }).where('id', '=', invite.id).execute();
      const existing = await trx
        .selectFrom('members')
        .select('role')
        .where('workspace_id', '=', invite.workspace_id)
        .where('account_id', '=', id)
        .executeTakeFirst();
      if (!existing) {
        await trx
          .insertInto('members')
          .values({ workspace_id: invite.workspace_id, account_id: id, role: invite.role, created_at: now })
          .execute();
      }
      await this.audit.record(
        invite.workspace_id,
        { type: 'account', id, ip },
        'member.join',
        { type: 'account', id },
        { role: invite.role, inviteId: invite.id },
        trx,
      );
      return id;
    });
    return { accountId, workspaceId: invite.workspace_id, role: invite.role as Role };
  }

  /**
   * Issues a password-reset link for a member of this workspace, only when the
   * issuer has power over the account in every workspace it belongs to
   * (`account_outside_your_authority` otherwise); the link's use checks again.
   */
  async issuePasswordReset(workspaceId: string, accountId: string, actor: Actor): Promise<{ token: string; expiresAt: number }> {
    await requireMemberRole(this.deps.db, workspaceId, accountId);
    if (actor.id === null) throw new LumioError('account_outside_your_authority');
    await assertAccountPower(this.deps.db, actor.id, accountId);
    const reset = await this.accounts.createPasswordReset(accountId, actor.id);
    await this.audit.record(workspaceId, actor, 'member.password_reset_issue', { type: 'account', id: accountId });
    return reset;
  }

  // The address a new account takes: the invite's own when it was sent to one (it proved that inbox), else the one typed.
  private newAccountEmail(inviteEmail: string | null, typed: string | undefined): string {
    const email = typed === undefined ? '' : AccountsService.normalizeEmail(typed);
    if (inviteEmail !== null) {
      if (email !== '' && email !== inviteEmail) throw new LumioError('invite_email_mismatch');
      return inviteEmail;
    }
    if (email.length < 3)
      throw new LumioError('invalid_request', 'email: an email address is needed to create the account.', { field: 'email' });
    return email;
  }

  private async assertAnotherOwner(trx: Pick<AppDeps, 'db'>['db'], workspaceId: string, accountId: string): Promise<void> {
    const others = await trx
      .selectFrom('members')
      .select('account_id')
      .where('workspace_id', '=', workspaceId)
      .where('role', '=', 'owner')
      .where('account_id', '!=', accountId)
      .limit(1)
      .executeTakeFirst();
    if (!others) throw new LumioError('last_owner');
  }
}
