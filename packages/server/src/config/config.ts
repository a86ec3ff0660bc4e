import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/** Validated, frozen server configuration. Built once at start-up by {@link loadConfig}. */
export interface Config {
  port: number;
  host: string;
  /** Directory for the SQLite file and the generated master key file. */
  dataDir: string;
  /** `postgres://…` to run on PostgreSQL; undefined for the embedded SQLite default. */
  databaseUrl: string | undefined;
  /** Raw master key material from LUMIO_MASTER_KEY (base64 or hex of 32 bytes). */
  masterKey: string | undefined;
  /** The public URL of the dashboard/API; its origin is the only one allowed to change state, and https turns on Secure cookies. */
  publicUrl: string | undefined;
  /**
   * Which peers may set the client's address and protocol (`X-Forwarded-For`,
   * `X-Forwarded-Proto`): none (false), the n nearest hops, or a list of proxy
   * addresses/CIDRs. Never "everyone": that would let any client pick its IP.
   */
  trustProxy: false | number | string[];
  redisUrl: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  /** Most bytes one bulk import (`POST /server/v1/users/import`) may stream; its rows are each capped at bodyLimitBytes. */
  importMaxBytes: number;
  /** Dashboard sign-in: idle and absolute expiry; how recent a sign-in or password confirmation must be to reveal a secret. */
  session: { idleSeconds: number; absoluteSeconds: number; reauthSeconds: number };
  widgetSessionSeconds: number;
  defaultGraceSeconds: number;
  rateLimits: {
    loginPerIpPerMinute: number;
    /** Failed password checks per account per minute across all IPs, beyond which IPs that never signed in to it wait (sign-in-throttle.ts). */
    loginPerAccountPerMinute: number;
    /** Failed password checks per (account, IP) per 15 minutes, beyond which that pair waits out the 15 minutes. */
    loginFailuresPerSource: number;
    identifyPerIpPerMinute: number;
    /** Event batches one IP may send per minute (a page sends one every few seconds at most). */
    eventBatchesPerIpPerMinute: number;
    /** Events one workspace may send per minute, across all its widgets and browsers (the ingestion quota). */
    eventsPerWorkspacePerMinute: number;
    identifyPerWidgetPerMinute: number;
    /** Failed identifies one source (IP) may make per minute before its identifies are refused for the rest of the minute. */
    identifyFailuresPerSourcePerMinute: number;
  };
  identityLogMaxEntriesPerWidget: number;
  /** The furthest ahead a signed identity token's `exp` may be; a longer-lived token is refused (a leaked one would stay usable). */
  identityTokenMaxLifetimeSeconds: number;
  /**
   * Markdown rendering off the event loop: worker threads, how many documents
   * may wait for one (more are refused with rendering_busy), and how long one
   * document may take before its worker is stopped (content_too_complex).
   */
  markdown: { workers: number; queue: number; budgetMs: number };
  /**
   * How long interest activity waits in memory before it is written, summed,
   * to the interest profiles (interests/interest-buffer.ts); 0 writes it in the
   * events' own transaction.
   */
  interestFlushMs: number;
  /**
   * Outgoing email (invites, password resets, alerts): an `smtp://` or
   * `smtps://` URL with any credentials in it, and the From address. Without a
   * URL (and no instance settings in the dashboard) Lumio shows copyable links.
   */
  smtpUrl: string | undefined;
  smtpFrom: string;
  /**
   * Demo mode: a "Demo" workspace and widget on a fresh database, and a host
   * page at /demo that identifies a demo user. On by default for the embedded
   * SQLite database outside production; off with NODE_ENV=production,
   * DATABASE_URL, LUMIO_DEMO=false or `lumio start --no-demo`.
   */
  demo: boolean;
  /**
   * Lets webhooks go to loopback, private and link-local addresses (a
   * receiver on the same host or network). Off: such URLs are refused when an
   * endpoint is saved and when a delivery is sent (webhooks/ssrf-guard.ts).
   */
  webhookAllowPrivate: boolean;
  /**
   * Whether this process sends webhooks (webhooks/webhook-dispatcher.ts). On
   * by default; with several processes on PostgreSQL, any number may send
   * (each delivery is claimed by one), and an operator may leave sending to
   * some of them.
   */
  webhookDelivery: boolean;
}

/** Settings a caller may pass instead of environment variables (CLI flags, tests). */
export type ConfigOverrides = Partial<Omit<Config, 'session' | 'rateLimits' | 'markdown'>> & {
  markdown?: Partial<Config['markdown']>;
  session?: Partial<Config['session']>;
  rateLimits?: Partial<Config['rateLimits']>;
};

const intFrom = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`);

const envSchema = z.object({
  PORT: intFrom('PORT', 0, 65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  LUMIO_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// (leave it unset for the embedded SQLite database)')
    .optional(),
  LUMIO_MASTER_KEY: z.string().min(1).optional(),
  LUMIO_PUBLIC_URL: z.url({ error: 'LUMIO_PUBLIC_URL must be a full URL such as https://lumio.example.com' }).optional(),
  LUMIO_TRUST_PROXY: z.string().optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://')
    .optional(),
  LUMIO_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LUMIO_BODY_LIMIT_BYTES: intFrom('LUMIO_BODY_LIMIT_BYTES', 1024, 10 * 1024 * 1024).default(64 * 1024),
  LUMIO_IMPORT_MAX_BYTES: intFrom('LUMIO_IMPORT_MAX_BYTES', 1024, 2 ** 40).default(2 ** 30),
  LUMIO_SESSION_IDLE_SECONDS: intFrom('LUMIO_SESSION_IDLE_SECONDS', 60, 30 * 86400).default(12 * 3600),
  LUMIO_SESSION_ABSOLUTE_SECONDS: intFrom('LUMIO_SESSION_ABSOLUTE_SECONDS', 300, 365 * 86400).default(14 * 86400),
  LUMIO_REAUTH_SECONDS: intFrom('LUMIO_REAUTH_SECONDS', 0, 3600).default(300),
  LUMIO_WIDGET_SESSION_SECONDS: intFrom('LUMIO_WIDGET_SESSION_SECONDS', 30, 3600).default(15 * 60),
  LUMIO_SECRET_GRACE_SECONDS: intFrom('LUMIO_SECRET_GRACE_SECONDS', 0, 90 * 86400).default(7 * 86400),
  LUMIO_RATE_LOGIN_PER_IP: intFrom('LUMIO_RATE_LOGIN_PER_IP', 1, 1_000_000).default(30),
  LUMIO_RATE_LOGIN_PER_ACCOUNT: intFrom('LUMIO_RATE_LOGIN_PER_ACCOUNT', 1, 1_000_000).default(10),
  LUMIO_RATE_LOGIN_FAILURES_PER_SOURCE: intFrom('LUMIO_RATE_LOGIN_FAILURES_PER_SOURCE', 1, 1000).default(5),
  LUMIO_RATE_IDENTIFY_PER_IP: intFrom('LUMIO_RATE_IDENTIFY_PER_IP', 1, 100_000_000).default(600),
  LUMIO_RATE_IDENTIFY_PER_WIDGET: intFrom('LUMIO_RATE_IDENTIFY_PER_WIDGET', 1, 100_000_000).default(120_000),
  LUMIO_RATE_IDENTIFY_FAILURES_PER_SOURCE: intFrom('LUMIO_RATE_IDENTIFY_FAILURES_PER_SOURCE', 1, 100_000_000).default(60),
  LUMIO_RATE_EVENT_BATCHES_PER_IP: intFrom('LUMIO_RATE_EVENT_BATCHES_PER_IP', 1, 100_000_000).default(600),
  LUMIO_EVENTS_PER_WORKSPACE_PER_MINUTE: intFrom('LUMIO_EVENTS_PER_WORKSPACE_PER_MINUTE', 1, 1_000_000_000).default(600_000),
  LUMIO_IDENTITY_LOG_MAX: intFrom('LUMIO_IDENTITY_LOG_MAX', 10, 1_000_000).default(1000),
  LUMIO_IDENTITY_TOKEN_MAX_LIFETIME_SECONDS: intFrom('LUMIO_IDENTITY_TOKEN_MAX_LIFETIME_SECONDS', 60, 365 * 86400).default(86400),
  LUMIO_MARKDOWN_WORKERS: intFrom('LUMIO_MARKDOWN_WORKERS', 1, 64).default(1),
  LUMIO_MARKDOWN_QUEUE: intFrom('LUMIO_MARKDOWN_QUEUE', 0, 100_000).default(32),
  LUMIO_MARKDOWN_BUDGET_MS: intFrom('LUMIO_MARKDOWN_BUDGET_MS', 50, 600_000).default(2000),
  LUMIO_INTEREST_FLUSH_MS: intFrom('LUMIO_INTEREST_FLUSH_MS', 0, 60_000).default(1000),
  LUMIO_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'LUMIO_SMTP_URL must be an smtp:// or smtps:// URL such as smtps://user:password@smtp.example.com:465')
    .optional(),
  LUMIO_SMTP_FROM: z
    .string()
    .max(320)
    .regex(/^[^\r\n]+$/, 'LUMIO_SMTP_FROM must be one line, such as "Lumio <lumio@example.com>"')
    .default('Lumio <lumio@localhost>'),
  LUMIO_DEMO: z.enum(['true', 'false', '1', '0'], { error: 'LUMIO_DEMO must be true or false' }).optional(),
  LUMIO_WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false', '1', '0'], { error: 'LUMIO_WEBHOOK_ALLOW_PRIVATE must be true or false' })
    .default('false'),
  LUMIO_WEBHOOK_DELIVERY: z.enum(['true', 'false', '1', '0'], { error: 'LUMIO_WEBHOOK_DELIVERY must be true or false' }).default('true'),
  NODE_ENV: z.string().optional(),
});

/** A configuration problem found at start-up; its message names the setting. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads the configuration from the environment, applies overrides (flags,
 * tests), validates it once and returns a frozen copy.
 *
 * @example const config = loadConfig(process.env, { port: 9000 });
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Readonly<Config> {
  // Overrides go through the same schema as the environment, so a bad value
  // from a flag or a caller fails exactly like a bad variable.
  const parsed = envSchema.safeParse({ ...emptyToUndefined(env), ...overridesAsEnv(overrides) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Invalid configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.LUMIO_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    masterKey: e.LUMIO_MASTER_KEY,
    publicUrl: e.LUMIO_PUBLIC_URL,
    trustProxy: parseTrustProxy(e.LUMIO_TRUST_PROXY),
    redisUrl: e.REDIS_URL,
    logLevel: e.LUMIO_LOG_LEVEL,
    bodyLimitBytes: e.LUMIO_BODY_LIMIT_BYTES,
    importMaxBytes: e.LUMIO_IMPORT_MAX_BYTES,
    session: {
      idleSeconds: e.LUMIO_SESSION_IDLE_SECONDS,
      absoluteSeconds: e.LUMIO_SESSION_ABSOLUTE_SECONDS,
      reauthSeconds: e.LUMIO_REAUTH_SECONDS,
    },
    widgetSessionSeconds: e.LUMIO_WIDGET_SESSION_SECONDS,
    defaultGraceSeconds: e.LUMIO_SECRET_GRACE_SECONDS,
    rateLimits: {
      loginPerIpPerMinute: e.LUMIO_RATE_LOGIN_PER_IP,
      loginPerAccountPerMinute: e.LUMIO_RATE_LOGIN_PER_ACCOUNT,
      loginFailuresPerSource: e.LUMIO_RATE_LOGIN_FAILURES_PER_SOURCE,
      identifyPerIpPerMinute: e.LUMIO_RATE_IDENTIFY_PER_IP,
      identifyPerWidgetPerMinute: e.LUMIO_RATE_IDENTIFY_PER_WIDGET,
      identifyFailuresPerSourcePerMinute: e.LUMIO_RATE_IDENTIFY_FAILURES_PER_SOURCE,
      eventBatchesPerIpPerMinute: e.LUMIO_RATE_EVENT_BATCHES_PER_IP,
      eventsPerWorkspacePerMinute: e.LUMIO_EVENTS_PER_WORKSPACE_PER_MINUTE,
    },
    identityLogMaxEntriesPerWidget: e.LUMIO_IDENTITY_LOG_MAX,
    identityTokenMaxLifetimeSeconds: e.LUMIO_IDENTITY_TOKEN_MAX_LIFETIME_SECONDS,
    markdown: { workers: e.LUMIO_MARKDOWN_WORKERS, queue: e.LUMIO_MARKDOWN_QUEUE, budgetMs: e.LUMIO_MARKDOWN_BUDGET_MS },
    interestFlushMs: e.LUMIO_INTEREST_FLUSH_MS,
    smtpUrl: e.LUMIO_SMTP_URL,
    smtpFrom: e.LUMIO_SMTP_FROM,
    demo: e.LUMIO_DEMO === undefined ? e.NODE_ENV !== 'production' && !e.DATABASE_URL : e.LUMIO_DEMO === 'true' || e.LUMIO_DEMO === '1',
    webhookAllowPrivate: e.LUMIO_WEBHOOK_ALLOW_PRIVATE === 'true' || e.LUMIO_WEBHOOK_ALLOW_PRIVATE === '1',
    webhookDelivery: e.LUMIO_WEBHOOK_DELIVERY === 'true' || e.LUMIO_WEBHOOK_DELIVERY === '1',
  };
  if (config.session.absoluteSeconds < config.session.idleSeconds) {
    throw new ConfigError('Invalid configuration: LUMIO_SESSION_ABSOLUTE_SECONDS must be at least LUMIO_SESSION_IDLE_SECONDS');
  }
  if (config.databaseUrl && !config.masterKey) {
    throw new ConfigError(
      'Invalid configuration: LUMIO_MASTER_KEY is required with DATABASE_URL, because every server process must share it (generate one with `npx lumio keygen`)',
    );
  }
  if (config.smtpUrl && !config.publicUrl) {
    throw new ConfigError(
      "Invalid configuration: LUMIO_PUBLIC_URL is required with LUMIO_SMTP_URL, because links in emails must point at your dashboard and Lumio never takes that from a request's Host header",
    );
  }
  Object.freeze(config.session);
  Object.freeze(config.rateLimits);
  Object.freeze(config.markdown);
  return Object.freeze(config);
}

// NOTE: keep in sync with envSchema and the mapping in loadConfig.
function overridesAsEnv(o: ConfigOverrides): Record<string, unknown> {
  const entries: Array<[string, unknown]> = [
    ['PORT', o.port],
    ['HOST', o.host],
    ['LUMIO_DATA_DIR', o.dataDir],
    ['DATABASE_URL', o.databaseUrl],
    ['LUMIO_MASTER_KEY', o.masterKey],
    ['LUMIO_PUBLIC_URL', o.publicUrl],
    [
      'LUMIO_TRUST_PROXY',
      Array.isArray(o.trustProxy) ? o.trustProxy.join(',') : o.trustProxy === undefined ? undefined : String(o.trustProxy),
    ],
    ['REDIS_URL', o.redisUrl],
    ['LUMIO_LOG_LEVEL', o.logLevel],
    ['LUMIO_BODY_LIMIT_BYTES', o.bodyLimitBytes],
    ['LUMIO_IMPORT_MAX_BYTES', o.importMaxBytes],
    ['LUMIO_SESSION_IDLE_SECONDS', o.session?.idleSeconds],
    ['LUMIO_SESSION_ABSOLUTE_SECONDS', o.session?.absoluteSeconds],
    ['LUMIO_WIDGET_SESSION_SECONDS', o.widgetSessionSeconds],
    ['LUMIO_SECRET_GRACE_SECONDS', o.defaultGraceSeconds],
    ['LUMIO_RATE_LOGIN_PER_IP', o.rateLimits?.loginPerIpPerMinute],
    ['LUMIO_RATE_LOGIN_PER_ACCOUNT', o.rateLimits?.loginPerAccountPerMinute],
    ['LUMIO_RATE_LOGIN_FAILURES_PER_SOURCE', o.rateLimits?.loginFailuresPerSource],
    ['LUMIO_RATE_IDENTIFY_PER_IP', o.rateLimits?.identifyPerIpPerMinute],
    ['LUMIO_RATE_IDENTIFY_PER_WIDGET', o.rateLimits?.identifyPerWidgetPerMinute],
    ['LUMIO_RATE_IDENTIFY_FAILURES_PER_SOURCE', o.rateLimits?.identifyFailuresPerSourcePerMinute],
    ['LUMIO_RATE_EVENT_BATCHES_PER_IP', o.rateLimits?.eventBatchesPerIpPerMinute],
    ['LUMIO_EVENTS_PER_WORKSPACE_PER_MINUTE', o.rateLimits?.eventsPerWorkspacePerMinute],
    ['LUMIO_IDENTITY_LOG_MAX', o.identityLogMaxEntriesPerWidget],
    ['LUMIO_IDENTITY_TOKEN_MAX_LIFETIME_SECONDS', o.identityTokenMaxLifetimeSeconds],
    ['LUMIO_MARKDOWN_WORKERS', o.markdown?.workers],
    ['LUMIO_MARKDOWN_QUEUE', o.markdown?.queue],
    ['LUMIO_MARKDOWN_BUDGET_MS', o.markdown?.budgetMs],
    ['LUMIO_INTEREST_FLUSH_MS', o.interestFlushMs],
    ['LUMIO_SMTP_URL', o.smtpUrl],
    ['LUMIO_SMTP_FROM', o.smtpFrom],
    ['LUMIO_DEMO', o.demo === undefined ? undefined : String(o.demo)],
    ['LUMIO_WEBHOOK_ALLOW_PRIVATE', o.webhookAllowPrivate === undefined ? undefined : String(o.webhookAllowPrivate)],
    ['LUMIO_WEBHOOK_DELIVERY', o.webhookDelivery === undefined ? undefined : String(o.webhookDelivery)],
  ];
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
}

// `true` would trust X-Forwarded-For from any peer, so any client could name
// its own IP and walk around every per-IP limit: refused, with what to set.
function parseTrustProxy(value: string | undefined): Config['trustProxy'] {
  const text = value?.trim();
  if (text === undefined || text === '' || text === 'false' || text === '0') return false;
  if (text === 'true') {
    throw new ConfigError(
      'Invalid configuration: LUMIO_TRUST_PROXY=true would let any client set its own IP through X-Forwarded-For; set the addresses or CIDRs of your proxies (e.g. 10.0.0.0/8,127.0.0.1) or the number of proxy hops in front of Lumio (e.g. 1)',
    );
  }
  if (/^\d+$/.test(text)) return Number(text);
  const entries = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (!isAddressOrCidr(entry)) {
      throw new ConfigError(
        `Invalid configuration: LUMIO_TRUST_PROXY: "${entry}" is not an IP address or CIDR; give a comma list such as 10.0.0.0/8,127.0.0.1, or a hop count`,
      );
    }
  }
  return entries;
}

function isAddressOrCidr(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  const family = net.isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  if (!/^\d+$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

function emptyToUndefined(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) out[key] = value === '' ? undefined : value;
  return out;
}
