import type { AppDeps } from '../http/app-deps.js';
import type { AccountContext } from '../http/request-context.js';
import { hashToken, newToken } from '../crypto/tokens.js';

/**
 * Dashboard sessions: an opaque random token in an httpOnly cookie, stored
 * only as its SHA-256, with an idle and an absolute expiry.
 */
export class AuthSessions {
  constructor(private readonly deps: Pick<AppDeps, 'db' | 'config' | 'clock'>) {}

  /** Starts a session; returns the token to set as the cookie value. */
  async create(accountId: string, meta: { ip: string | null; userAgent: string | null }): Promise<string> {
    const token = newToken('lss');
    const now = this.deps.clock.now();
    await this.deps.db
      .insertInto('auth_sessions')
      .values({
        token_hash: hashToken(token),
        account_id: accountId,
        created_at: now,
        last_seen_at: now,
        expires_at: now + this.deps.config.session.absoluteSeconds * 1000,
        reauth_at: now,
        ip: meta.ip,
        user_agent: meta.userAgent?.slice(0, 256) ?? null,
      })
      .execute();
    return token;
  }

  /** Resolves a cookie token to its account, sliding the idle expiry; null when invalid or expired. */
  async resolve(token: string): Promise<AccountContext | null> {
    const tokenHash = hashToken(token);
    const row = await this.deps.db
      .selectFrom('auth_sessions')
      .innerJoin('accounts', 'accounts.id', 'auth_sessions.account_id')
      .select([
        'accounts.id',
        'accounts.email',
        'accounts.name',
        'auth_sessions.last_seen_at',
        'auth_sessions.expires_at',
        'auth_sessions.reauth_at',
      ])
      .where('auth_sessions.token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!row) return null;
    const now = this.deps.clock.now();
    if (now >= row.expires_at || now - row.last_seen_at >= this.deps.config.session.idleSeconds * 1000) {
      await this.deps.db.deleteFrom('auth_sessions').where('token_hash', '=', tokenHash).execute();
      return null;
    }
    // Writing on every request would be wasteful; a minute of slack is plenty for an idle timeout.
    if (now - row.last_seen_at > 60_000) {
      await this.deps.db.updateTable('auth_sessions').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
    }
    return { id: row.id, email: row.email, name: row.name, sessionHash: tokenHash, reauthAt: row.reauth_at };
  }

  /** Records that the account just proved its password in this session. */
  async markReauthenticated(sessionHash: string): Promise<void> {
    await this.deps.db
      .updateTable('auth_sessions')
      .set({ reauth_at: this.deps.clock.now() })
      .where('token_hash', '=', sessionHash)
      .execute();
  }

  /** Ends one session. */
  async destroy(sessionHash: string): Promise<void> {
    await this.deps.db.deleteFrom('auth_sessions').where('token_hash', '=', sessionHash).execute();
  }

  /** Ends every session of an account but one (a password change keeps the session that made it). */
  async destroyOthers(accountId: string, keepHash: string): Promise<void> {
    await this.deps.db.deleteFrom('auth_sessions').where('account_id', '=', accountId).where('token_hash', '!=', keepHash).execute();
  }

  /** Ends every session of an account (password reset, removal from the last workspace). */
  async destroyAll(accountId: string): Promise<void> {
    await this.deps.db.deleteFrom('auth_sessions').where('account_id', '=', accountId).execute();
  }
}
