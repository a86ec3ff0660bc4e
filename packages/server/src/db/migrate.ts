import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { DialectAdapter } from './dialects/dialect-adapter.js';
import * as initial from './migrations/0001-initial.js';

// NOTE: append new migrations here in order; names sort lexically.
const MIGRATIONS: Record<string, { up: (db: never, adapter: DialectAdapter) => Promise<void> }> = {
  '0001-initial': initial,
};

class StaticProvider implements MigrationProvider {
  constructor(private readonly adapter: DialectAdapter) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, migration] of Object.entries(MIGRATIONS)) {
      out[name] = { up: (db) => migration.up(db as never, this.adapter) };
    }
    return out;
  }
}

/** Brings the schema up to date; safe to call from several processes at once (Kysely locks). */
export async function migrateToLatest(adapter: DialectAdapter): Promise<string[]> {
  const migrator = new Migrator({ db: adapter.db, provider: new StaticProvider(adapter) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Whether every known migration has been applied. */
export async function isMigrated(adapter: DialectAdapter): Promise<boolean> {
  const migrator = new Migrator({ db: adapter.db, provider: new StaticProvider(adapter) });
  const migrations = await migrator.getMigrations();
  return migrations.every((m) => m.executedAt !== undefined);
}
