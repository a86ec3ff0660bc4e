import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../test-support/test-app.js';
import { createFuzzWorld, type FuzzWorld } from '../test-support/fuzz/fuzz-world.js';
import { formatReport, runFuzz } from '../test-support/fuzz/run-fuzz.js';

// Seeded: a new seed per run unless LUMIO_FUZZ_SEED is set; the seed is in the
// failure message, so any failure replays with `npm run fuzz -- --seed S`.
const SEED = Number(process.env.LUMIO_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CASES = Number(process.env.LUMIO_FUZZ_CASES ?? 2000);
const FIRST = Number(process.env.LUMIO_FUZZ_FIRST ?? 0);

// Every route of the app's own table, every method, gets bad params, queries,
// bodies, content types and credentials; SQLite and PostgreSQL (when
// LUMIO_TEST_DATABASE_URL is set) must answer a registered 4xx (or a 2xx) and
// the very same status and code.
describe(`differential fuzz over the route table (${DIALECTS.join(' + ')})`, () => {
  const worlds: FuzzWorld[] = [];
  beforeAll(async () => {
    for (const dialect of DIALECTS) worlds.push(await createFuzzWorld(dialect));
  }, 60_000);
  afterAll(async () => {
    for (const world of worlds) await world.close();
  });

  it(
    `${CASES} cases (seed ${SEED}): no 5xx, only registered codes, both databases alike`,
    async () => {
      const report = await runFuzz(worlds, {
        seed: SEED,
        cases: CASES,
        first: FIRST,
        onProgress: (done) => process.env.LUMIO_FUZZ_REPORT && console.log(`  ${done} cases…`),
      });
      const text = formatReport(report, DIALECTS);
      if (process.env.LUMIO_FUZZ_REPORT) console.log(text);
      expect(report.failures, text).toEqual([]);
      // Not a vacuous pass: the cases reach past the router into the routes' own checks.
      expect(Object.keys(report.counts).length).toBeGreaterThan(10);
    },
    Math.max(120_000, CASES * 100),
  );
});
