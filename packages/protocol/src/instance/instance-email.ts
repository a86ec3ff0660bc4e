import { z } from 'zod';

/** How the dashboard's SMTP settings reach the server: implicit TLS (465), STARTTLS required (587), or plain (a relay on a trusted network). */
export const SMTP_SECURITY = ['smtps', 'starttls', 'none'] as const;
/** One of {@link SMTP_SECURITY}. */
export type SmtpSecurity = (typeof SMTP_SECURITY)[number];

/**
 * `GET /api/v1/instance/email` (the instance owner only): where outgoing email
 * goes. The password is never returned, only whether one is set.
 */
export interface InstanceEmailView {
  /** `environment`: LUMIO_SMTP_URL is set and wins (read-only here); `dashboard`: the settings below; `none`: no email. */
  source: 'environment' | 'dashboard' | 'none';
  /** The stored dashboard settings (null when none were saved). */
  settings: {
    host: string;
    port: number;
    security: SmtpSecurity;
    user: string;
    passwordSet: boolean;
    from: string;
    publicUrl: string;
  } | null;
  /** LUMIO_PUBLIC_URL when set: it wins over the stored public URL. */
  environmentPublicUrl: string | null;
  /** The address a test email goes to (the instance owner's own). */
  testRecipient: string;
}

const oneLine = (field: string, max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\r\n]*$/, `${field} must be one line.`);

/**
 * `PUT /api/v1/instance/email`: the SMTP settings. An empty or missing
 * `password` keeps the stored one (the browser never has it to send back);
 * `user` empty means no authentication.
 */
export const instanceEmailBody = z
  .object({
    host: oneLine('The host', 253).regex(
      /^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/,
      'The host must be a host name or an IP address, such as smtp.example.com.',
    ),
    port: z.number().int().min(1).max(65535),
    security: z.enum(SMTP_SECURITY),
    user: oneLine('The user', 256).default(''),
    password: z
      .string()
      .max(1024)
      .regex(/^[^\r\n]*$/, 'The password must be one line.')
      .optional(),
    from: oneLine('From', 320).min(3, 'From is needed, such as "Lumio <lumio@example.com>".'),
    publicUrl: z
      .string()
      .trim()
      .max(2048)
      .refine((value) => /^https?:\/\/[^\s/]+/.test(value) && URL.canParse(value), {
        message: 'The public URL must be an http(s) URL such as https://lumio.example.com.',
      }),
  })
  .strict();

/** What `PUT /api/v1/instance/email` takes. */
export type InstanceEmailBody = z.input<typeof instanceEmailBody>;
/** The same, checked and trimmed (what the server stores). */
export type InstanceEmailSettings = z.output<typeof instanceEmailBody>;

/** `POST /api/v1/instance/email/test`: where the test email went. */
export interface InstanceEmailTestAnswer {
  sentTo: string;
}
