import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { AppDeps } from '../http/app-deps.js';
import { LumioError } from '../errors/lumio-error.js';

/** How long a (account, IP) pair's failures count, and how long the pair waits once over its limit. */
export const SOURCE_WINDOW_MS = 15 * 60_000;
/** The window of the account-wide slow-down: at most `loginPerAccountPerMinute` failures per minute. */
export const ACCOUNT_WINDOW_MS = 60_000;
/** How long an IP stays a known source of an account after its last sign-in with the password. */
export const KNOWN_SOURCE_MS = 90 * 86_400_000;
// The `source` of the account-wide counter; no IP is spelt like this.
const ALL_SOURCES = '*';
const SWEEP_EVERY_MS = 3600_000;

/**
 * The sign-in throttle: every password check (sign-in, and the re-asks for
 * a password: reveal a secret, change the password, confirm it) goes through
 * {@link SignInThrottle.attempt}. Two limits, both on failures only:
 *
 * - per (account, IP): `loginFailuresPerSource` failures in 15 minutes, then
 *   that IP waits out the 15 minutes for that account;
 * - per account across all IPs: `loginPerAccountPerMinute` failures in a
 *   minute, then IPs that never signed in to it wait for the minute to end.
 *   An IP the account signed in from with its password (a known source) is
 *   exempt, so an attacker can slow guessing down but never lock the owner
 *   out: the owner's usual IP still gets its own allowance.
 *
 * Counters live in the database (several processes agree) and are keyed by
 * the normalised email, known or not, so an unknown email is counted and
 * answered exactly like a known one. An attempt is charged before the
 * password is checked and refunded if it succeeds, so parallel requests
 * cannot slip past the limit together.
 */
export class SignInThrottle {
  private lastSweep = 0;

  constructor(private readonly deps: Pick<AppDeps, 'db' | 'clock' | 'config' | 'metrics'>) {}

  /** The key an email is counted under: normalised, whether or not an account has it. */
  static keyOf(email: string): string {
    return email.trim().toLowerCase();
  }

  /**
   * Runs a password check for `email` from the request's IP: answers its
   * result, or null for a wrong password (counted as a failure). Throws
   * `rate_limited` with Retry-After, before checking anything, when the pair
   * or the account is over its limit. A check that throws is not counted.
   */
  async attempt<T>(request: FastifyRequest, email: string, check: () => Promise<T | null>): Promise<T | null> {
    const key = SignInThrottle.keyOf(email);
    const source = request.ip;
    const now = this.deps.clock.now();
    await this.sweepWhenDue(now);
    const limits = this.deps.config.rateLimits;
    const pair = await this.charge(key, source, SOURCE_WINDOW_MS, now);
    const account = await this.charge(key, ALL_SOURCES, ACCOUNT_WINDOW_MS, now);
    const refund = async () => {
      await this.refund(key, source, pair.window_start);
      await this.refund(key, ALL_SOURCES, account.window_start);
    };

    let waitMs = 0;
    if (pair.failures > limits.loginFailuresPerSource) waitMs = pair.window_start + SOURCE_WINDOW_MS - now;
    if (account.failures > limits.loginPerAccountPerMinute && !(await this.isKnown(key, source, now)))
      waitMs = Math.max(waitMs, account.window_start + ACCOUNT_WINDOW_MS - now);
    if (waitMs > 0) {
      // A refused attempt checked nothing: it must not count, or the owner's
      // own retries during an attack would run their IP into the pair limit.
      await refund();
      this.deps.metrics.rateLimited.inc({ route: request.routeOptions.url ?? 'unknown' });
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new LumioError(
        'rate_limited',
        `Too many failed sign-ins for this account; try again in ${seconds} s, or ask for a password reset.`,
        { retryAfterSeconds: seconds },
        { 'retry-after': String(seconds) },
      );
    }

    let result: T | null;
    try {
      result = await check();
    } catch (error) {
      await refund();
      throw error;
    }
    if (result === null) return null;
    await this.deps.db.deleteFrom('sign_in_failures').where('account_key', '=', key).where('source', '=', source).execute();
    await this.refund(key, ALL_SOURCES, account.window_start);
    await this.deps.db
      .insertInto('sign_in_known_sources')
      .values({ account_key: key, source, last_success_at: now })
      .onConflict((oc) => oc.columns(['account_key', 'source']).doUpdateSet({ last_success_at: now }))
      .execute();
    return result;
  }

  /**
   * Counts one request about `email` for `purpose` (such as
   * `forgot-password`) in a 15-minute window every process shares, and throws
   * `rate_limited` with Retry-After past `max`. Keyed by the normalised
   * address, known or not, so the answer says nothing about whether an
   * account has it. The counter lives beside the failures (its source is the
   * purpose, which no IP is spelt like) and is swept with them.
   */
  async limitPerAddress(request: FastifyRequest, email: string, purpose: string, max: number): Promise<void> {
    const now = this.deps.clock.now();
    await this.sweepWhenDue(now);
    const counter = await this.charge(SignInThrottle.keyOf(email), purpose, SOURCE_WINDOW_MS, now);
    if (counter.failures <= max) return;
    this.deps.metrics.rateLimited.inc({ route: request.routeOptions.url ?? 'unknown' });
    const seconds = Math.max(1, Math.ceil((counter.window_start + SOURCE_WINDOW_MS - now) / 1000));
    throw new LumioError(
      'rate_limited',
      `Too many requests for this address; try again in ${seconds} s.`,
      { retryAfterSeconds: seconds },
      { 'retry-after': String(seconds) },
    );
  }

  /** Forgets every failure counted for an email (tests, and the operator after a reset). */
  async forget(email: string): Promise<void> {
    await this.deps.db.deleteFrom('sign_in_failures').where('account_key', '=', SignInThrottle.keyOf(email)).execute();
  }

  // One atomic upsert: a counter whose window has passed starts again at 1.
  private async charge(key: string, source: string, windowMs: number, now: number) {
    const open = sql<boolean>`sign_in_failures.window_start > ${now - windowMs}`;
    return this.deps.db
      .insertInto('sign_in_failures')
      .values({ account_key: key, source, window_start: now, failures: 1 })
      .onConflict((oc) =>
        oc.columns(['account_key', 'source']).doUpdateSet({
          failures: sql<number>`case when ${open} then sign_in_failures.failures + 1 else 1 end`,
          window_start: sql<number>`case when ${open} then sign_in_failures.window_start else ${now} end`,
        }),
      )
      .returning(['failures', 'window_start'])
      .executeTakeFirstOrThrow();
  }

  // Takes one charge back, unless its window has been replaced meanwhile.
  private async refund(key: string, source: string, windowStart: number): Promise<void> {
    await this.deps.db
      .updateTable('sign_in_failures')
      .set({ failures: sql<number>`failures - 1` })
      .where('account_key', '=', key)
      .where('source', '=', source)
      .where('window_start', '=', windowStart)
      .where('failures', '>', 0)
      .execute();
  }

  private async isKnown(key: string, source: string, now: number): Promise<boolean> {
    const row = await this.deps.db
      .selectFrom('sign_in_known_sources')
      .select('last_success_at')
      .where('account_key', '=', key)
      .where('source', '=', source)
      .executeTakeFirst();
    return row !== undefined && row.last_success_at > now - KNOWN_SOURCE_MS;
  }

  // Counters of guessed emails would otherwise pile up: drop expired ones about hourly.
  private async sweepWhenDue(now: number): Promise<void> {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    await this.deps.db
      .deleteFrom('sign_in_failures')
      .where('window_start', '<=', now - SOURCE_WINDOW_MS)
      .execute();
    await this.deps.db
      .deleteFrom('sign_in_known_sources')
      .where('last_success_at', '<=', now - KNOWN_SOURCE_MS)
      .execute();
  }
}
