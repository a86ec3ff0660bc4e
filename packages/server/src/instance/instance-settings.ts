import type { InstanceEmailSettings, InstanceEmailView, SmtpSecurity } from '@lumio/protocol';
import type { Kysely } from 'kysely';
import type { AppDeps } from '../http/app-deps.js';
import type { Actor, AuditAction, AuditLog } from '../audit/audit-log.js';
import type { Database } from '../db/schema.js';
import type { MailSettings } from '../mail/mailer.js';
import { LumioError } from '../errors/lumio-error.js';

/** The notification channel that tells every process the instance's email settings changed. */
export const INSTANCE_CHANGED_CHANNEL = 'lumio_instance_changed';
const ROW = 'instance';
// Binds the password's ciphertext to its column: copied elsewhere, it does not decrypt.
const PASSWORD_AAD = 'instance_settings.smtp_password';
// A safety net for a notification lost while PostgreSQL's LISTEN connection reconnects.
const RELOAD_EVERY_MS = 60_000;

type Row = Database['instance_settings'];

/**
 * The settings of the Lumio instance as a whole: who its owner is (the
 * account that completed setup) and the SMTP settings that owner saved in the
 * dashboard. LUMIO_SMTP_URL, when set, wins and the stored settings are not
 * used; LUMIO_PUBLIC_URL, when set, wins over the stored public URL.
 *
 * A save switches this process's Mailer at once and tells the other processes
 * (LISTEN/NOTIFY on PostgreSQL) to re-read the row; each process also
 * re-reads it every minute, in case a notification was lost.
 */
export class InstanceSettings {
  private reload: NodeJS.Timeout | undefined;
  // The settings the Mailer was last given, as JSON (undefined: never).
  private applied: string | undefined;

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'adapter' | 'clock' | 'config' | 'secretBox' | 'mailer' | 'logger'>,
    private readonly audit: AuditLog,
  ) {}

  /** Loads the stored email settings into the Mailer and follows changes made by other processes; call once at start-up. */
  async start(): Promise<void> {
    if (this.deps.config.smtpUrl) return;
    await this.apply();
    await this.deps.adapter.notifier.subscribe(INSTANCE_CHANGED_CHANNEL, () => void this.applyLogged());
    this.reload = setInterval(() => void this.applyLogged(), RELOAD_EVERY_MS);
    this.reload.unref();
  }

  /** Stops following changes (shutdown). */
  stop(): void {
    clearInterval(this.reload);
    this.reload = undefined;
  }

  /** Whether the account is the instance owner. */
  async isOwner(accountId: string): Promise<boolean> {
    const row = await this.row();
    return row?.owner_account_id != null && row.owner_account_id === accountId;
  }

  /** Throws `instance_owner_only` unless the account is the instance owner. */
  async assertOwner(accountId: string): Promise<void> {
    if (!(await this.isOwner(accountId))) throw new LumioError('instance_owner_only');
  }

  /** What the owner's email page shows; never the password. */
  async emailView(ownerEmail: string): Promise<InstanceEmailView> {
    const row = await this.row();
    const stored = row?.smtp_host ? row : null;
    return {
      source: this.deps.config.smtpUrl ? 'environment' : stored ? 'dashboard' : 'none',
      settings: stored
        ? {
            host: stored.smtp_host!,
            port: Number(stored.smtp_port),
            security: stored.smtp_security as SmtpSecurity,
            user: stored.smtp_user ?? '',
            passwordSet: stored.smtp_password_ciphertext !== null,
            from: stored.smtp_from ?? '',
            publicUrl: stored.public_url ?? '',
          }
        : null,
      environmentPublicUrl: this.deps.config.publicUrl ?? null,
      testRecipient: ownerEmail,
    };
  }

  /**
   * Saves the SMTP settings (the password sealed with the SecretBox; an empty
   * or missing one keeps the stored password), switches this process's
   * Mailer and notifies the others; audited without the password.
   */
  async saveEmail(input: InstanceEmailSettings, actor: Actor, ownerEmail: string): Promise<InstanceEmailView> {
    if (this.deps.config.smtpUrl) throw new LumioError('email_set_by_environment');
    const before = await this.row();
    const ciphertext =
      input.user === ''
        ? null
        : input.password
          ? this.deps.secretBox.seal(input.password, PASSWORD_AAD)
          : (before?.smtp_password_ciphertext ?? null);
    const values = {
      smtp_host: input.host.toLowerCase(),
      smtp_port: input.port,
      smtp_security: input.security,
      smtp_user: input.user || null,
      smtp_password_ciphertext: ciphertext,
      smtp_from: input.from,
      public_url: input.publicUrl,
      updated_at: this.deps.clock.now(),
    };
    await this.deps.db
      .insertInto('instance_settings')
      .values({ id: ROW, owner_account_id: null, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
    await this.recordInstance(actor, 'instance.email.update', {
      host: input.host,
      port: input.port,
      security: input.security,
      user: input.user,
      from: input.from,
      publicUrl: input.publicUrl,
      passwordChanged: Boolean(input.password),
    });
    await this.apply();
    await this.deps.adapter.notifier.publish(INSTANCE_CHANGED_CHANNEL, 'email');
    return this.emailView(ownerEmail);
  }

  /** Sends a test email to the owner's own address through the settings in use; audited either way. */
  async sendTest(actor: Actor, ownerEmail: string): Promise<void> {
    let outcome = 'sent';
    try {
      await this.deps.mailer.send({
        to: ownerEmail,
        subject: 'Lumio test email',
        text: `This is a test email from your Lumio instance.\n\nEmail works: invites, password resets and identity alerts can be sent.\n\nDashboard: ${this.deps.mailer.link('/app/')}\n`,
      });
    } catch (error) {
      outcome = error instanceof LumioError ? error.code : 'error';
      throw error;
    } finally {
      await this.recordInstance(actor, 'instance.email.test', { outcome });
    }
  }

  /**
   * The audit log is per workspace; an instance-level action is recorded in
   * every workspace the acting owner owns, so it shows where they look.
   */
  private async recordInstance(actor: Actor, action: AuditAction, details: Record<string, unknown>): Promise<void> {
    if (!actor.id) return;
    const owned = await this.deps.db
      .selectFrom('members')
      .select('workspace_id')
      .where('account_id', '=', actor.id)
      .where('role', '=', 'owner')
      .execute();
    for (const { workspace_id } of owned) await this.audit.record(workspace_id, actor, action, { type: 'instance', id: ROW }, details);
  }

  private async applyLogged(): Promise<void> {
    try {
      await this.apply();
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'instance email settings not reloaded');
    }
  }

  // Re-reads the row and hands the Mailer what it holds (or nothing).
  private async apply(): Promise<void> {
    const settings = this.mailSettingsOf(await this.row());
    // The minute's re-read usually finds the settings as they were: keep the transport then.
    const fingerprint = JSON.stringify(settings);
    if (fingerprint === this.applied) return;
    this.deps.mailer.use(settings);
    this.applied = fingerprint;
  }

  private mailSettingsOf(row: Row | undefined): MailSettings | null {
    if (!row?.smtp_host || !row.smtp_from) return null;
    const publicUrl = this.deps.config.publicUrl ?? row.public_url;
    if (!publicUrl) return null;
    const password = row.smtp_password_ciphertext ? this.deps.secretBox.open(row.smtp_password_ciphertext, PASSWORD_AAD) : '';
    return { url: smtpUrl(row, password), from: row.smtp_from, publicUrl };
  }

  private row(): Promise<Row | undefined> {
    return this.deps.db.selectFrom('instance_settings').selectAll().where('id', '=', ROW).executeTakeFirst();
  }
}

/**
 * Records the account setup creates as the instance owner, in setup's
 * transaction (so there is never an instance without one after setup).
 */
export async function recordInstanceOwner(db: Kysely<Database>, accountId: string): Promise<void> {
  await db
    .insertInto('instance_settings')
    .values({ id: ROW, owner_account_id: accountId })
    .onConflict((oc) => oc.column('id').doUpdateSet({ owner_account_id: accountId }))
    .execute();
}

// nodemailer's URL: credentials percent-encoded, TLS by scheme and query
// (smtps: TLS from the first byte; starttls: refuse to go on without TLS; none: never upgrade).
function smtpUrl(row: Row, password: string): string {
  const security = row.smtp_security as SmtpSecurity;
  const auth = row.smtp_user ? `${encodeURIComponent(row.smtp_user)}:${encodeURIComponent(password)}@` : '';
  const scheme = security === 'smtps' ? 'smtps' : 'smtp';
  const query = security === 'starttls' ? '?requireTLS=true' : security === 'none' ? '?ignoreTLS=true' : '';
  return `${scheme}://${auth}${row.smtp_host}:${row.smtp_port}${query}`;
}
