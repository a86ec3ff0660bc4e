const UNIT_SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 } as const;
// The positive subset of jose's duration syntax ('90s', '10m', '2 hours'); no
// signs or "ago", because a token must expire after it is issued.
const DURATION_PATTERN = /^(\d+(?:\.\d+)?) ?(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w)$/i;

/**
 * Turns an `expiresIn` option (seconds, or a jose-style duration like `'10m'`)
 * into a positive whole number of seconds, or throws a `TypeError`.
 */
export function parseExpiresIn(expiresIn: string | number): number {
  let seconds: number | undefined;
  if (typeof expiresIn === 'number') {
    seconds = expiresIn;
  } else if (typeof expiresIn === 'string') {
    const match = DURATION_PATTERN.exec(expiresIn.trim());
    if (match) {
      const unit = match[2]!.charAt(0).toLowerCase() as keyof typeof UNIT_SECONDS;
      seconds = Math.round(Number(match[1]) * UNIT_SECONDS[unit]);
    }
  }
  if (seconds === undefined || !Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new TypeError(
      `expiresIn must be a positive whole number of seconds or a duration like '10m' (got ${JSON.stringify(expiresIn)}).`,
    );
  }
  return seconds;
}
