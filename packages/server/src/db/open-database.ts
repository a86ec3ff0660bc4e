import path from 'node:path';
import type { Config } from '../config/config.js';
import type { DialectAdapter } from './dialects/dialect-adapter.js';
import { createPostgresAdapter } from './dialects/postgres-dialect.js';
import { createSqliteAdapter } from './dialects/sqlite-dialect.js';

/** Opens the configured database: PostgreSQL when DATABASE_URL is set, else SQLite under the data dir. */
export function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  options: { onIdleError?: (error: Error) => void } = {},
): DialectAdapter {
  if (config.databaseUrl) return createPostgresAdapter({ connectionString: config.databaseUrl, ...options });
  return createSqliteAdapter(path.join(config.dataDir, 'lumio.db'), { backgroundCheckpoints: true });
}
