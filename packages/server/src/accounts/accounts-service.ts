import type { Kysely } from 'kysely';
import { MIN_PASSWORD_LENGTH, type AccountView } from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import { LumioError } from '../errors/lumio-error.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../crypto/passwords.js';
import { hashToken, newId, newToken } from '../crypto/tokens.js';
import { assertAccountPower } from '../workspaces/account-authority.js';

const RESET_TTL_MS = 24 * 3600 * 1000;
/** How long a "Forgot password?" link works: it travels by email, so briefly. */
export const SELF_SERVICE_RESET_TTL_MS = 30 * 60 * 1000;
const ISSUER_LOST_POWER =
  'Whoever issued this reset link does not outrank this account in every workspace it belongs to (any more), so the link cannot be used; ask the server operator to run `lumio accounts reset-password <email>`.';

/** Accounts: creation, password checks, password resets. Repeated failures are throttled by the callers, through SignInThrottle. */
export class AccountsService {
  constructor(private readonly deps: Pick<AppDeps, 'db' | 'clock'>) {}

  /** Normalises an email for storage and lookup. */
  static normalizeEmail(email: string): string {
    return email.trim().toLowerCase();
  }

  /** Creates an account; fails with `email_taken` or `weak_password`. */
  async create(
    input: { email: string; password: string; name?: string | undefined },
    db: Kysely<Database> = this.deps.db,
  ): Promise<AccountView> {
    assertPasswordStrength(input.password);
    const email = AccountsService.normalizeEmail(input.email);
    const existing = await db.selectFrom('accounts').select('id').where('email', '=', email).executeTakeFirst();
    if (existing) throw new LumioError('email_taken');
    const account = {
      id: newId('acc'),
      email,
      name: input.name?.trim() || email.split('@')[0]!,
      password_hash: await hashPassword(input.password),
      created_at: this.deps.clock.now(),
      failed_logins: 0,
      locked_until: null,
    };
    await db.insertInto('accounts').values(account).execute();
    return { id: account.id, email: account.email, name: account.name, createdAt: account.created_at };
  }

  /**
   * Checks credentials: the account, or null when the email is unknown or the
   * password wrong. An unknown email costs a check against a dummy hash of
   * the same parameters, so both answers take as long.
   */
  async authenticate(emailInput: string, password: string): Promise<AccountView | null> {
    const email = AccountsService.normalizeEmail(emailInput);
    const row = await this.deps.db.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirst();
    if (!row) {
      await burnPasswordCheck(password);
      return null;
    }
    if (!(await verifyPassword(password, row.password_hash))) return null;
    return { id: row.id, email: row.email, name: row.name, createdAt: row.created_at };
  }

  /** Checks the password of an account (re-authentication); the caller throttles failures. */
  async confirmPassword(accountId: string, password: string): Promise<boolean> {
    const row = await this.deps.db.selectFrom('accounts').select('password_hash').where('id', '=', accountId).executeTakeFirst();
    return row ? verifyPassword(password, row.password_hash) : false;
  }

  /** Renames an account; answers the account as the API shows it. */
  async rename(accountId: string, name: string): Promise<AccountView> {
    await this.deps.db.updateTable('accounts').set({ name }).where('id', '=', accountId).execute();
    const row = await this.deps.db.selectFrom('accounts').selectAll().where('id', '=', accountId).executeTakeFirstOrThrow();
    return { id: row.id, email: row.email, name: row.name, createdAt: row.created_at };
  }

  /**
   * Replaces the password of a signed-in account after checking the current
   * one: false when it is wrong (the caller counts the failure), `weak_password`
   * when the new one is too short.
   */
  async changePassword(accountId: string, currentPassword: string, newPassword: string): Promise<boolean> {
    if (!(await this.confirmPassword(accountId, currentPassword))) return false;
    assertPasswordStrength(newPassword);
    await this.deps.db
      .updateTable('accounts')
      .set({ password_hash: await hashPassword(newPassword) })
      .where('id', '=', accountId)
      .execute();
    return true;
  }

  /** Sets a password without knowing the old one (the operator's CLI). */
  async setPassword(accountId: string, password: string): Promise<void> {
    assertPasswordStrength(password);
    await this.deps.db
      .updateTable('accounts')
      .set({ password_hash: await hashPassword(password) })
      .where('id', '=', accountId)
      .execute();
  }

  /**
   * Issues a single-use password-reset token for an account: 24 h for a link
   * an owner/admin (`createdBy`) or the operator (`createdBy` null) issues;
   * 30 minutes for a self-service one ("Forgot password?", `selfService`,
   * issued by the account itself), which also deletes the account's older
   * unused self-service links, so only the newest email works.
   */
  async createPasswordReset(
    accountId: string,
    createdBy: string | null,
    options: { selfService?: boolean } = {},
  ): Promise<{ token: string; expiresAt: number }> {
    const selfService = options.selfService === true;
    const token = newToken('lpr');
    const now = this.deps.clock.now();
    const expiresAt = now + (selfService ? SELF_SERVICE_RESET_TTL_MS : RESET_TTL_MS);
    await this.deps.db.transaction().execute(async (trx) => {
      if (selfService)
        await trx
          .deleteFrom('password_resets')
          .where('account_id', '=', accountId)
          .where('self_service', '=', 1)
          .where('used_at', 'is', null)
          .execute();
      await trx
        .insertInto('password_resets')
        .values({
          token_hash: hashToken(token),
          account_id: accountId,
          created_by: createdBy,
          created_at: now,
          expires_at: expiresAt,
          used_at: null,
          self_service: selfService ? 1 : 0,
        })
        .execute();
    });
    return { token, expiresAt };
  }

  /** Sets a new password from a reset token; returns the account id. */
  async resetPassword(token: string, password: string): Promise<string> {
    assertPasswordStrength(password);
    const now = this.deps.clock.now();
    const usable = (row: { used_at: number | null; expires_at: number } | undefined) => row && row.used_at === null && row.expires_at > now;
    // The token first: a made-up or spent link must not cost a slow hash (a cheap way to load the server).
    const found = await this.deps.db
      .selectFrom('password_resets')
      .select(['used_at', 'expires_at'])
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!usable(found)) throw new LumioError('invalid_reset_token');
    // Hashed outside the transaction, which holds the write lock; the token is checked again inside it.
    const passwordHash = await hashPassword(password);
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('password_resets').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
      if (!row || !usable(row)) throw new LumioError('invalid_reset_token');
      // Memberships may have changed since the link was issued: the issuer must still have power over the account.
      // A self-service link's issuer is the account itself (it proved its inbox), which always has power over itself.
      if (row.created_by !== null) await assertAccountPower(trx, row.created_by, row.account_id, ISSUER_LOST_POWER);
      const used = await trx
        .updateTable('password_resets')
        .set({ used_at: now })
        .where('token_hash', '=', row.token_hash)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(used.numUpdatedRows) !== 1) throw new LumioError('invalid_reset_token');
      await trx
        .updateTable('accounts')
        .set({ password_hash: passwordHash, failed_logins: 0, locked_until: null })
        .where('id', '=', row.account_id)
        .execute();
      return row.account_id;
    });
  }

  /** Finds an account id by email. */
  async findIdByEmail(email: string): Promise<string | undefined> {
    const row = await this.deps.db
      .selectFrom('accounts')
      .select('id')
      .where('email', '=', AccountsService.normalizeEmail(email))
      .executeTakeFirst();
    return row?.id;
  }
}

/** Refuses passwords shorter than the minimum. */
export function assertPasswordStrength(password: string): void {
  if (typeof password !== 'string' || [...password].length < MIN_PASSWORD_LENGTH) throw new LumioError('weak_password');
}
