// npm run fuzz -- --cases N [--seed S] [--first I] [--database-url postgres://…] [--sqlite-only]
//
// A long run of the differential fuzz test (packages/server/src/http/differential-fuzz.test.ts):
// N generated bad requests over every route of the app's route table, each sent to an
// SQLite app and a PostgreSQL app. Prints the answers per status and code, then every
// 5xx, unregistered code or disagreement with a line to replay it; exits non-zero on any.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const cases = Number(option('cases') ?? 10_000);
const seed = Number(option('seed') ?? Math.floor(Math.random() * 2 ** 31));
const first = Number(option('first') ?? 0);
const databaseUrl = option('database-url') ?? process.env.LUMIO_TEST_DATABASE_URL;
const sqliteOnly = args.includes('--sqlite-only');
if (![cases, seed, first].every(Number.isSafeInteger) || cases < 1) {
  console.error('usage: npm run fuzz -- --cases N [--seed S] [--first I] [--database-url URL] [--sqlite-only]');
  process.exit(2);
}
if (!databaseUrl && !sqliteOnly) {
  console.error(
    'The differential fuzz compares SQLite with PostgreSQL: set LUMIO_TEST_DATABASE_URL or pass --database-url ' +
      '(e.g. postgres://postgres@127.0.0.1:5432/test; each run makes a schema of its own), or pass --sqlite-only.',
  );
  process.exit(2);
}

console.log(`fuzz: ${cases} cases from #${first}, seed ${seed}, ${sqliteOnly ? 'SQLite only' : 'SQLite + PostgreSQL'}`);
const env = {
  ...process.env,
  LUMIO_FUZZ_CASES: String(cases),
  LUMIO_FUZZ_SEED: String(seed),
  LUMIO_FUZZ_FIRST: String(first),
  LUMIO_FUZZ_REPORT: '1',
};
if (sqliteOnly) delete env.LUMIO_TEST_DATABASE_URL;
else env.LUMIO_TEST_DATABASE_URL = databaseUrl;
const run = spawnSync('npx', ['vitest', 'run', 'packages/server/src/http/differential-fuzz.test.ts', '--reporter=dot'], {
  cwd: repoRoot,
  env,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
