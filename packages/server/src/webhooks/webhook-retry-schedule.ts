/** How long after its event a delivery is still retried; the last attempt is made then (docs/webhooks.md). */
export const WEBHOOK_RETRY_WINDOW_MS = 24 * 3600_000;

/** The wait after the first failed attempt; each later wait doubles, up to {@link WEBHOOK_MAX_BACKOFF_MS}. */
export const WEBHOOK_FIRST_BACKOFF_MS = 30_000;

/** The longest wait between two attempts. */
export const WEBHOOK_MAX_BACKOFF_MS = 4 * 3600_000;

/** Each wait is stretched or shrunk by up to this fraction at random, so retries of many deliveries spread out. */
export const WEBHOOK_BACKOFF_JITTER = 0.2;

/**
 * When a failed delivery is tried next, or null when it is out of time and
 * fails for good. After the n-th failed attempt the wait is 30 s × 2^(n−1)
 * (30 s, 1 min, 2 min, … 4 h, then every 4 h), ±20% at random; the attempt
 * that would fall after the retry window is made at the window's end
 * instead, and a failure then (or later) is final.
 *
 * `attempts`: attempts made so far, this one included (≥ 1).
 * `random`: a number in [0, 1), `Math.random` by default.
 */
export function nextAttemptAt(attempts: number, createdAt: number, now: number, random: () => number = Math.random): number | null {
  const deadline = createdAt + WEBHOOK_RETRY_WINDOW_MS;
  if (now >= deadline) return null;
  const base = Math.min(WEBHOOK_FIRST_BACKOFF_MS * 2 ** Math.min(attempts - 1, 30), WEBHOOK_MAX_BACKOFF_MS);
  const wait = Math.round(base * (1 + WEBHOOK_BACKOFF_JITTER * (2 * random() - 1)));
  return Math.min(now + wait, deadline);
}
