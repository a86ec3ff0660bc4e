import type { Logger } from 'pino';
import type { Kysely } from 'kysely';
import type { Config } from '../config/config.js';
import type { DialectAdapter } from '../db/dialects/dialect-adapter.js';
import type { Database } from '../db/schema.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Metrics } from '../ops/metrics.js';
import type { StorageHealth } from '../db/storage-health.js';
import type { MarkdownRenderer } from '../content/markdown-renderer.js';
import type { Mailer } from '../mail/mailer.js';

/** A source of the current time, replaceable in tests (grace periods, expiries). */
export interface Clock {
  now(): number;
}

/** What route modules and services need; passed explicitly, no container. */
export interface AppDeps {
  config: Readonly<Config>;
  adapter: DialectAdapter;
  db: Kysely<Database>;
  masterKey: Buffer;
  secretBox: SecretBox;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** The last storage fault, until a write succeeds again (see storage-health.ts). */
  storageHealth: StorageHealth;
  /** Renders team-written Markdown off the event loop; every render goes through it. */
  markdown: MarkdownRenderer;
  /** Outgoing email; `configured` is false without SMTP settings, and callers then show copyable links. */
  mailer: Mailer;
}
