import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';

/** The answer of a quota check: go ahead, or wait this many seconds. */
export type QuotaDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** A per-workspace budget of events per minute (the ingestion quota). */
export interface IngestionQuota {
  /** Takes `count` events from the workspace's budget, or refuses the whole batch. */
  take(workspaceId: string, count: number, now: number): Promise<QuotaDecision>;
}

const TRACKED_WORKSPACES = 50_000;

/**
 * The quota of one process: a token bucket per workspace holding a minute's
 * budget and refilled continuously, so a burst up to the budget passes and a
 * steady flood is held to the rate.
 */
export class LocalIngestionQuota implements IngestionQuota {
  private readonly buckets = new LRUCache<string, { tokens: number; at: number }>({ max: TRACKED_WORKSPACES });

  constructor(private readonly perMinute: number) {}

  async take(workspaceId: string, count: number, now: number): Promise<QuotaDecision> {
    const perMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(workspaceId) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
    bucket.at = now;
    this.buckets.set(workspaceId, bucket);
    if (bucket.tokens >= count) {
      bucket.tokens -= count;
      return { ok: true };
    }
    // A batch larger than the whole budget can never pass: ask for a minute, the SDK backs off further.
    const wait = count > this.perMinute ? 60_000 : (count - bucket.tokens) / perMs;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) };
  }
}

/**
 * The quota shared by every process through Redis: a counter per workspace
 * and minute. Like the rate limits, it fails open (and logs) when Redis is
 * unreachable: an outage of the limiter must not drop a customer's events.
 */
export class RedisIngestionQuota implements IngestionQuota {
  constructor(
    private readonly redis: Redis,
    private readonly perMinute: number,
    private readonly logger: Logger,
  ) {}

  async take(workspaceId: string, count: number, now: number): Promise<QuotaDecision> {
    const minute = Math.floor(now / 60_000);
    const key = `lumio-quota:${workspaceId}:${minute}`;
    try {
      const [[, used]] = (await this.redis.multi().incrby(key, count).pexpire(key, 120_000).exec()) as [[unknown, number]];
      if (used <= this.perMinute) return { ok: true };
      await this.redis.decrby(key, count);
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(((minute + 1) * 60_000 - now) / 1000)) };
    } catch (error) {
      this.logger.warn({ err: error }, 'ingestion quota unavailable (Redis); events accepted without it');
      return { ok: true };
    }
  }
}
