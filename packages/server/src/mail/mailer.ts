import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { LumioError } from '../errors/lumio-error.js';

/** One email Lumio sends: a plain-text body always, HTML optionally. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/**
 * Where outgoing email goes: an `smtp://` or `smtps://` URL (credentials
 * inside), the From address, and the dashboard's public URL that links in
 * emails point at.
 */
export interface MailSettings {
  url: string;
  from: string;
  /** Links in emails are built on this, never on a request's Host header (an attacker picks that one). */
  publicUrl: string;
}

// A send waits at most this long for each step, so a dead SMTP server turns
// into `email_send_failed` within seconds instead of a request hanging for
// nodemailer's default two minutes.
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as const;

/**
 * Sends Lumio's emails through SMTP with nodemailer. The settings can be
 * replaced while running (the instance owner edits them in the dashboard);
 * without settings {@link Mailer.configured} is false and every caller falls
 * back to copyable links.
 *
 * @example await mailer.send({ to: 'ada@example.com', subject: 'You are invited', text: link });
 */
export class Mailer {
  private transport: Transporter | null = null;
  private from = '';
  private publicOrigin = '';

  constructor(
    settings: MailSettings | null,
    private readonly logger: Logger,
  ) {
    this.use(settings);
  }

  /** Whether email can be sent at all. */
  get configured(): boolean {
    return this.transport !== null;
  }

  /** Replaces the SMTP settings (null: no email). The old transport's pooled connections are closed. */
  use(settings: MailSettings | null): void {
    this.transport?.close();
    this.transport = settings ? nodemailer.createTransport({ url: settings.url, ...TIMEOUTS }) : null;
    this.from = settings?.from ?? '';
    this.publicOrigin = settings ? new URL(settings.publicUrl).origin : '';
  }

  /**
   * An absolute link for an email: the configured public URL's origin and the
   * path. Throws `email_not_configured` without settings.
   */
  link(pathAndHash: string): string {
    if (!this.transport) throw new LumioError('email_not_configured');
    return `${this.publicOrigin}${pathAndHash.startsWith('/') ? '' : '/'}${pathAndHash}`;
  }

  /**
   * Sends one email. Throws `email_not_configured` without settings and
   * `email_send_failed` when the SMTP server does not take it; the log line
   * names the recipient's domain and the SMTP answer, never the URL (it holds
   * the password) nor the body (it holds one-time links).
   */
  async send(message: MailMessage): Promise<void> {
    const transport = this.transport;
    if (!transport) throw new LumioError('email_not_configured');
    try {
      await transport.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text, html: message.html });
    } catch (error) {
      const reason = error instanceof Error ? ((error as { code?: string }).code ?? error.name) : 'unknown';
      this.logger.warn({ toDomain: message.to.split('@').pop(), reason }, 'email not sent');
      throw new LumioError('email_send_failed');
    }
  }

  /** Closes pooled SMTP connections (shutdown). */
  close(): void {
    this.transport?.close();
    this.transport = null;
  }
}
