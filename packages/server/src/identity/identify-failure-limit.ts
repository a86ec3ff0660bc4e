import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';

/**
 * The failed identifies one source (an IP, on one widget) may make per
 * minute. Failures are charged here, never to the widget's shared identify
 * budget, so a source forging signatures or tokens spends only its own
 * allowance; once it is spent, that source's identifies on that widget are
 * refused (429) for the rest of the minute before any work is done (a bad
 * signature costs a diagnosis read).
 */
export interface IdentifyFailureLimit {
  /** Seconds until `source` may identify again, or 0 while it is within its budget. */
  retryAfter(source: string, now: number): Promise<number>;
  /** Counts one failed identify of `source`. */
  fail(source: string, now: number): Promise<void>;
}

const WINDOW_MS = 60_000;
const TRACKED_SOURCES = 100_000;

/**
 * The limit of one process: a failure count per source and minute. With
 * several processes and no Redis, a source gets this budget on each process.
 */
export class LocalIdentifyFailureLimit implements IdentifyFailureLimit {
  private readonly windows = new LRUCache<string, { minute: number; failures: number }>({ max: TRACKED_SOURCES });

  constructor(private readonly perMinute: number) {}

  async retryAfter(source: string, now: number): Promise<number> {
    const minute = Math.floor(now / WINDOW_MS);
    const w = this.windows.get(source);
    if (!w || w.minute !== minute || w.failures < this.perMinute) return 0;
    return secondsLeft(minute, now);
  }

  async fail(source: string, now: number): Promise<void> {
    const minute = Math.floor(now / WINDOW_MS);
    const w = this.windows.get(source);
    if (w && w.minute === minute) w.failures++;
    else this.windows.set(source, { minute, failures: 1 });
  }
}

/**
 * The limit shared by every process through Redis: a counter per source and
 * minute. Like the rate limits, it fails open (and logs) when Redis is
 * unreachable: an outage of the limiter must not stop sign-ins.
 */
export class RedisIdentifyFailureLimit implements IdentifyFailureLimit {
  constructor(
    private readonly redis: Redis,
    private readonly perMinute: number,
    private readonly logger: Logger,
  ) {}

  async retryAfter(source: string, now: number): Promise<number> {
    const minute = Math.floor(now / WINDOW_MS);
    try {
      const failures = Number((await this.redis.get(key(source, minute))) ?? 0);
      return failures < this.perMinute ? 0 : secondsLeft(minute, now);
    } catch (error) {
      this.logger.warn({ err: error }, 'identify failure limit unavailable (Redis); identify allowed without it');
      return 0;
    }
  }

  async fail(source: string, now: number): Promise<void> {
    const k = key(source, Math.floor(now / WINDOW_MS));
    try {
      await this.redis
        .multi()
        .incr(k)
        .pexpire(k, 2 * WINDOW_MS)
        .exec();
    } catch (error) {
      this.logger.warn({ err: error }, 'identify failure limit unavailable (Redis); failure not counted');
    }
  }
}

function key(source: string, minute: number): string {
  return `lumio-identify-failures:${source}:${minute}`;
}

function secondsLeft(minute: number, now: number): number {
  return Math.max(1, Math.ceil(((minute + 1) * WINDOW_MS - now) / 1000));
}
