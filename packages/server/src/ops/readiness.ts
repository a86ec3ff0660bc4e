import { sql } from 'kysely';
import type { DialectAdapter } from '../db/dialects/dialect-adapter.js';
import { isMigrated } from '../db/migrate.js';
import { classifyStorageFault, type StorageFaultKind } from '../db/storage-fault.js';
import type { StorageHealth } from '../db/storage-health.js';

/** The answer of {@link Readiness.check}. */
export type ReadinessResult = { ready: true } | { ready: false; reason: 'not_migrated' | StorageFaultKind; code?: string };

/** How long one probe's answer is reused: /readyz is public, and must not become a way to hammer the database. */
export const READINESS_CACHE_MS = 1000;

/** The row the probe rewrites; a real committed write, because a full disk or a read-only file lets reads and rolled-back writes through. */
export const READINESS_PROBE_KEY = 'readiness_probe';

/**
 * Whether this process can write to its database now, for `/readyz`: a real
 * write (one small row of `settings`, committed), at most one probe per
 * {@link READINESS_CACHE_MS} however many callers ask, concurrent callers
 * sharing the probe in flight. The probe feeds {@link StorageHealth}: a
 * failure is a fault like any other, a success ends one.
 */
export class Readiness {
  private cached: { at: number; result: ReadinessResult } | undefined;
  private inFlight: Promise<ReadinessResult> | undefined;
  private migrated = false;

  constructor(
    private readonly adapter: DialectAdapter,
    private readonly health: StorageHealth,
    private readonly options: { cacheMs?: number; now?: () => number } = {},
  ) {}

  /** Probes (or reuses a probe younger than the cache time). */
  check(): Promise<ReadinessResult> {
    const now = (this.options.now ?? Date.now)();
    if (this.cached && now - this.cached.at < (this.options.cacheMs ?? READINESS_CACHE_MS)) return Promise.resolve(this.cached.result);
    this.inFlight ??= this.probe().then((result) => {
      this.cached = { at: (this.options.now ?? Date.now)(), result };
      this.inFlight = undefined;
      return result;
    });
    return this.inFlight;
  }

  private async probe(): Promise<ReadinessResult> {
    try {
      // Once migrated, a schema never goes back.
      this.migrated ||= await isMigrated(this.adapter);
      if (!this.migrated) return { ready: false, reason: 'not_migrated' };
      const value = new Date().toISOString();
      await this.adapter.db
        .insertInto('settings')
        .values({ key: READINESS_PROBE_KEY, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: sql`excluded.value` }))
        .execute();
      this.health.recordSuccess();
      return { ready: true };
    } catch (error) {
      const fault = classifyStorageFault(error) ?? {
        kind: 'io_error' as const,
        code: String((error as { code?: unknown }).code ?? 'probe_failed'),
        message: error instanceof Error ? error.message : String(error),
      };
      this.health.recordFault(fault, { probe: 'readyz' });
      return { ready: false, reason: fault.kind, code: fault.code };
    }
  }
}
