import type { Kysely } from 'kysely';
import { MIN_PASSWORD_LENGTH, type AccountView } from '@lumio/protocol';
import type { AppDeps } from '../http/app-deps.js';
import type { Database } from '../db/schema.js';
import { LumioError } from '../errors/lumio-error.js';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../crypto/passwords.js';
import { hashToken, newId, newToken } from '../crypto/tokens.js';
import { assertAccountPower } from '../workspaces/account-authority.js';

// From this many failures in a row on, each further attempt must wait, doubling
// up to the cap: slows guessing to a crawl but never locks the owner out for good.
const FREE_FAILURES = 5;
const MAX_DELAY_MS = 15 * 60 * 1000;
const RESET_TTL_MS = 24 * 3600 * 1000;
const ISSUER_LOST_POWER =
  'Whoever issued this reset link does not outrank this account in every workspace it belongs to (any more), so the link cannot be used; ask the server operator to run `lumio accounts reset-password <email>`.';

/** Accounts: creation, password checks with slow-down, password resets. */
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

  /** Checks credentials; slows down repeated failures with 429 + Retry-After. */
  async authenticate(emailInput: string, password: string): Promise<AccountView> {
    const email = AccountsService.normalizeEmail(emailInput);
    const row = await this.deps.db.selectFrom('accounts').selectAll().where('email', '=', email).executeTakeFirst();
    if (!row) {
      await burnPasswordCheck(password);
      throw new LumioError('invalid_credentials');
    }
    const now = this.deps.clock.now();
    if (row.locked_until && row.locked_until > now) {
      const seconds = Math.ceil((row.locked_until - now) / 1000);
      throw new LumioError(
        'rate_limited',
        `Too many failed sign-ins for this account; try again in ${seconds} s or reset the password.`,
        { retryAfterSeconds: seconds },
        { 'retry-after': String(seconds) },
      );
    }
    if (!(await verifyPassword(password, row.password_hash))) {
      const failures = row.failed_logins + 1;
      const delay = failures >= FREE_FAILURES ? Math.min(MAX_DELAY_MS, 1000 * 2 ** (failures - FREE_FAILURES)) : 0;
      await this.deps.db
        .updateTable('accounts')
        .set({ failed_logins: failures, locked_until: delay ? now + delay : null })
        .where('id', '=', row.id)
        .execute();
      throw new LumioError('invalid_credentials');
    }
    if (row.failed_logins > 0) {
      await this.deps.db.updateTable('accounts').set({ failed_logins: 0, locked_until: null }).where('id', '=', row.id).execute();
    }
    return { id: row.id, email: row.email, name: row.name, createdAt: row.created_at };
  }

  /** Checks the password of a known account (re-authentication); no slow-down bookkeeping. */
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
   * one (`invalid_credentials` when wrong, `weak_password` when the new one is
   * too short); clears the sign-in slow-down.
   */
  async changePassword(accountId: string, currentPassword: string, newPassword: string): Promise<void> {
    if (!(await this.confirmPassword(accountId, currentPassword)))
      throw new LumioError('invalid_credentials', 'The current password is wrong.');
    assertPasswordStrength(newPassword);
    await this.deps.db
      .updateTable('accounts')
      .set({ password_hash: await hashPassword(newPassword), failed_logins: 0, locked_until: null })
      .where('id', '=', accountId)
      .execute();
  }

  /** Sets a password without knowing the old one (the operator's CLI); clears the sign-in slow-down. */
  async setPassword(accountId: string, password: string): Promise<void> {
    assertPasswordStrength(password);
    await this.deps.db
      .updateTable('accounts')
      .set({ password_hash: await hashPassword(password), failed_logins: 0, locked_until: null })
      .where('id', '=', accountId)
      .execute();
  }

  /** Issues a single-use password-reset token (24 h) for an account; `createdBy` null is the operator (CLI). */
  async createPasswordReset(accountId: string, createdBy: string | null): Promise<{ token: string; expiresAt: number }> {
    const token = newToken('lpr');
    const now = this.deps.clock.now();
    await this.deps.db
      .insertInto('password_resets')
      .values({
        token_hash: hashToken(token),
        account_id: accountId,
        created_by: createdBy,
        created_at: now,
        expires_at: now + RESET_TTL_MS,
        used_at: null,
      })
      .execute();
    return { token, expiresAt: now + RESET_TTL_MS };
  }

  /** Sets a new password from a reset token; returns the account id. Clears the failure slow-down. */
  async resetPassword(token: string, password: string): Promise<string> {
    assertPasswordStrength(password);
    const now = this.deps.clock.now();
    const passwordHash = await hashPassword(password);
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('password_resets').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
      if (!row || row.used_at !== null || row.expires_at <= now) throw new LumioError('invalid_reset_token');
      // Memberships may have changed since the link was issued: the issuer must still have power over the account.
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
