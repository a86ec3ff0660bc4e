import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import type { DialectAdapter } from './dialects/dialect-adapter.js';
import * as initial from './migrations/0001-initial.js';
import * as announcements from './migrations/0002-announcements.js';
import * as targetingFunctions from './migrations/0003-targeting-functions.js';
import * as helpCenter from './migrations/0004-help-center.js';
import * as articleSearch from './migrations/0005-article-search.js';
import * as analytics from './migrations/0006-analytics.js';
import * as eventDaily from './migrations/0007-event-daily.js';
import * as eventReportHour from './migrations/0008-event-report-hour.js';
import * as userSearch from './migrations/0009-user-search.js';
import * as eventDailyClustered from './migrations/0010-event-daily-clustered.js';
import * as signInThrottle from './migrations/0011-sign-in-throttle.js';
import * as profilesAndInterests from './migrations/0012-profiles-and-interests.js';
import * as peerHelpful from './migrations/0014-peer-helpful.js';
import * as bannerPlacement from './migrations/0015-banner-placement.js';
import * as instanceSettings from './migrations/0016-instance-settings.js';
import * as auditFilters from './migrations/0017-audit-filters.js';
import * as identityAlerts from './migrations/0018-identity-alerts.js';
import * as emailInvitesAndResets from './migrations/0019-email-invites-and-resets.js';
import * as companies from './migrations/0020-companies.js';
import * as webhooks from './migrations/0021-webhooks.js';
import * as userAliases from './migrations/0022-user-aliases.js';
import * as eventCompany from './migrations/0026-event-company.js';
import * as eventPartitions from './migrations/0027-event-partitions.js';
import * as eventDailyCovering from './migrations/0028-event-daily-covering.js';

// NOTE: append new migrations here in order; names sort lexically.
const MIGRATIONS: Record<string, { up: (db: never, adapter: DialectAdapter) => Promise<void> }> = {
  '0001-initial': initial,
  '0002-announcements': announcements,
  '0003-targeting-functions': targetingFunctions,
  '0004-help-center': helpCenter,
  '0005-article-search': articleSearch,
  '0006-analytics': analytics,
  '0007-event-daily': eventDaily,
  '0008-event-report-hour': eventReportHour,
  '0009-user-search': userSearch,
  '0010-event-daily-clustered': eventDailyClustered,
  '0011-sign-in-throttle': signInThrottle,
  '0012-profiles-and-interests': profilesAndInterests,
  '0014-peer-helpful': peerHelpful,
  '0015-banner-placement': bannerPlacement,
  '0016-instance-settings': instanceSettings,
  '0017-audit-filters': auditFilters,
  '0018-identity-alerts': identityAlerts,
  '0019-email-invites-and-resets': emailInvitesAndResets,
  '0020-companies': companies,
  '0021-webhooks': webhooks,
  '0022-user-aliases': userAliases,
  '0026-event-company': eventCompany,
  '0027-event-partitions': eventPartitions,
  '0028-event-daily-covering': eventDailyCovering,
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

// Kysely looks for its migration tables in every schema unless told which: with
// another Lumio schema in the same PostgreSQL database (staging beside
// production, or the test suites' schemas), it would find that schema's lock
// table, skip creating its own, and fail. So name the schema the tables live in.
async function createMigrator(adapter: DialectAdapter): Promise<Migrator> {
  const provider = new StaticProvider(adapter);
  if (adapter.name !== 'postgres') return new Migrator({ db: adapter.db, provider });
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(adapter.db);
  const schema = rows[0]?.schema;
  return schema ? new Migrator({ db: adapter.db, provider, migrationTableSchema: schema }) : new Migrator({ db: adapter.db, provider });
}

/** Brings the schema up to date; safe to call from several processes at once (Kysely locks). */
export async function migrateToLatest(adapter: DialectAdapter): Promise<string[]> {
  const migrator = await createMigrator(adapter);
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Brings the schema up to `name` and no further: tests of a migration build
 * the schema it starts from, store rows, then run it.
 */
export async function migrateTo(adapter: DialectAdapter, name: string): Promise<void> {
  const migrator = await createMigrator(adapter);
  const { error } = await migrator.migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

/** Whether every known migration has been applied. */
export async function isMigrated(adapter: DialectAdapter): Promise<boolean> {
  const migrator = await createMigrator(adapter);
  const migrations = await migrator.getMigrations();
  return migrations.every((m) => m.executedAt !== undefined);
}
