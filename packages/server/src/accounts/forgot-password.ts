import type { AppDeps } from '../http/app-deps.js';
import { LumioError } from '../errors/lumio-error.js';
import { SELF_SERVICE_RESET_TTL_MS, type AccountsService } from './accounts-service.js';

/**
 * "Forgot password?": emails a short-lived, single-use reset link to an
 * address when an account has it and email is configured. The caller answers
 * the request before any of this runs ({@link ForgotPassword.request} returns
 * at once), so the answer and its timing are the same for every address; the
 * lookup and the email happen in a background task whose errors are logged.
 * Nothing is written to a workspace's audit log: the request is the
 * account's own business (the reset itself is audited when the link is used).
 */
export class ForgotPassword {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly deps: Pick<AppDeps, 'mailer' | 'logger'>,
    private readonly accounts: AccountsService,
  ) {}

  /** Starts sending a reset link to `email` if an account has it; returns at once and never throws. */
  request(email: string): void {
    // Started on a later turn of the event loop, after the answer is on its way:
    // SQLite queries run synchronously, and the lookup must not delay the answer.
    const task = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.sendLink(email))
      .catch((error: unknown) => {
        const code = error instanceof LumioError ? error.code : error instanceof Error ? error.name : 'unknown';
        this.deps.logger.warn({ code, toDomain: email.split('@').pop() }, 'forgot-password email not sent');
      });
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
  }

  /** Waits for the links still being sent (shutdown, tests). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async sendLink(email: string): Promise<void> {
    const mailer = this.deps.mailer;
    if (!mailer.configured) return;
    const accountId = await this.accounts.findIdByEmail(email);
    if (accountId === undefined) return;
    const reset = await this.accounts.createPasswordReset(accountId, accountId, { selfService: true });
    const url = mailer.link(`/app/reset-password#token=${encodeURIComponent(reset.token)}`);
    await mailer.send({
      to: email,
      subject: 'Reset your Lumio password',
      text: [
        'Someone, hopefully you, asked to reset the password of the Lumio account with this email address.',
        '',
        `Choose a new password: ${url}`,
        '',
        `The link works once and expires in ${SELF_SERVICE_RESET_TTL_MS / 60_000} minutes (${new Date(reset.expiresAt).toUTCString()}).`,
        'Setting a new password signs the account out everywhere.',
        'If you did not ask for this, ignore this email: your password stays as it is.',
      ].join('\n'),
    });
  }
}
