import { sql, type RawBuilder } from 'kysely';
import type { DialectName } from '../db/dialects/dialect-adapter.js';
import { INTEREST_SATURATION } from './interest-math.js';

const DAY_MS = 86_400_000;

/**
 * The 0–1 level of an `interest_scores` row at `now`, in SQL: the same number
 * interest-math.ts's `levelAt(score, updatedAt, now, halfLifeDays)` gives, so
 * `interests.<topic>` matches the same people in SQL and in JavaScript. On
 * SQLite it is that very function, registered on the connection
 * (db/dialects/sqlite-functions.ts); on PostgreSQL the formula in `float8`,
 * operation for operation as JavaScript computes it. `now` and the half-life
 * are bound parameters.
 */
export function interestLevelSql(
  dialect: DialectName,
  score: RawBuilder<unknown>,
  updatedAt: RawBuilder<unknown>,
  now: number,
  halfLifeDays: number,
): RawBuilder<number> {
  if (dialect === 'sqlite') return sql<number>`lumio_interest_level(${score}, ${updatedAt}, ${now}, ${halfLifeDays})`;
  // NOTE: as decayedScore and interestLevel in interest-math.ts:
  // score · 2^(−max(0, now − updatedAt) / (halfLife · DAY)), then 1 − 2^(−decayed / SATURATION), 0 unless decayed > 0.
  const age = sql`GREATEST(0::float8, ${now}::float8 - ${updatedAt})`;
  const decayed = sql`(${score} * power(2::float8, (-${age}) / ${halfLifeDays * DAY_MS}::float8))`;
  return sql<number>`(CASE WHEN ${decayed} > 0 THEN 1::float8 - power(2::float8, (-${decayed}) / ${INTEREST_SATURATION}::float8) ELSE 0::float8 END)`;
}
