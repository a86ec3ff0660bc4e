// One dialect and size of bench:analytics' report latency, in its own process
// pinned to one core (run.js starts it): builds the app on the seeded database
// and times services.reports over many 30-day windows. Prints one JSON line.
import { seededRandom } from '@lumio/targeting/test-support';
import { load } from './seeder.js';
import { DAY_MS } from './population.js';

const job = JSON.parse(process.argv[2]);
const progress = (line) => process.stderr.write(`  [${job.dialect} ${job.label}] ${line}\n`);

/** The reports timed, each called with a 30-day window `{ from, to }`. */
const CASES = {
  'series, plan+role filter': (reports, ws, w) =>
    reports.series(ws, { event: '$article_viewed', interval: 'day', ...w, condition: { plan: 'pro', role: 'admin' } }),
  'series, filter + by region': (reports, ws, w) =>
    reports.series(ws, { event: '$article_viewed', interval: 'day', ...w, condition: { plan: 'pro', role: 'admin' }, breakdown: 'region' }),
  'announcement funnel': (reports, ws, w) => reports.funnel(ws, { ...w }),
  'demographics by plan': (reports, ws, w) => reports.demographics(ws, { ...w, attributes: ['plan'] }),
  'identity health by day': (reports, ws, w) => reports.identityHealth(ws, { ...w, interval: 'day' }),
};

const { loadConfig } = await load('config/config.js');
const config = loadConfig(process.env, {
  ...(job.dataDir ? { dataDir: job.dataDir } : {}),
  ...(job.databaseUrl ? { databaseUrl: job.databaseUrl } : {}),
  ...(job.masterKey ? { masterKey: job.masterKey } : {}),
  logLevel: 'warn',
});
let adapter;
if (job.dialect === 'postgres') {
  const { createPostgresAdapter } = await load('db/dialects/postgres-dialect.js');
  adapter = createPostgresAdapter({ connectionString: job.databaseUrl, schema: job.schema });
}
const lumio = await buildApp();
const reports = lumio.services.reports;
if (job.dialect === 'postgres') {
  // A rollup a later migration added to a cached database has never been vacuumed:
  // do what autovacuum would have done by now (index-only scans need the visibility map).
  const { sql } = await import('kysely');
  const { rows } =
    await sql`select coalesce(last_vacuum, last_autovacuum) as at from pg_stat_user_tables where relid = 'event_daily'::regclass`.execute(
      lumio.deps.db,
    );
  if (!rows[0]?.at) await sql`vacuum analyze event_daily`.execute(lumio.deps.db);
}

try {
  const ws = job.meta.workspaceId;
  // Windows of 30 days ending on a day boundary within the last 60 days of the data, the same on every run and dialect.
  const r = seededRandom(job.seed * 7919 + 17);
  const lastDay = Math.floor(job.meta.to / DAY_MS);
  const window = () => {
    const to = (lastDay - Math.floor(r() * 60)) * DAY_MS;
    return { from: to - 30 * DAY_MS, to };
  };
  const cases = Object.entries(CASES);
  const samples = {};
  for (const [name, call] of cases)
    samples[name] = summary(await call(reports, ws, { from: (lastDay - 30) * DAY_MS, to: lastDay * DAY_MS }));
  // Warm-up, not measured.
  for (let i = 0; i < job.warmup; i++) {
    const w = window();
    for (const [, call] of cases) await call(reports, ws, w);
  }
  const results = Object.fromEntries(cases.map(([name]) => [name, []]));
  for (let run = 0; run < job.runs; run++) {
    const times = Object.fromEntries(cases.map(([name]) => [name, []]));
    for (let i = 0; i < job.iterations; i++) {
      const w = window();
      // Round-robin: no report profits from a cache warmed by its own previous call alone.
      for (const [name, call] of cases) {
        const t = performance.now();
        await call(reports, ws, w);
        times[name].push(performance.now() - t);
      }
    }
    for (const [name] of cases) results[name].push(stats(times[name]));
    progress(
      `run ${run + 1}/${job.runs}: ` +
        cases
          .map(([name]) => `${name} p50 ${results[name].at(-1).median.toFixed(0)} p99 ${results[name].at(-1).p99.toFixed(0)} ms`)
          .join('; '),
    );
  }
  process.stdout.write(`${JSON.stringify({ dialect: job.dialect, label: job.label, events: job.meta.events, results, samples })}\n`);
} finally {
  await lumio.close();
  // createApp leaves an adapter it was given open (the PostgreSQL pool and its LISTEN connection).
  await adapter?.destroy();
}

// The whole app as `lumio start` builds it (migrations included).
async function buildApp() {
  const { createApp } = await load('app/create-app.js');
  return createApp({ config, ...(adapter ? { adapter } : {}), defaultMetrics: false });
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { count: sorted.length, median: at(0.5), p99: at(0.99), max: sorted.at(-1) };
}

// A few figures of an answer, to show the reports found data (and the same data on both databases).
function summary(answer) {
  if (answer?.totals) return { lines: answer.series.length, events: answer.totals.count, persons: answer.totals.uniques };
  if (answer?.verifiedRate) {
    const sum = (values) => values.reduce((a, b) => a + b, 0);
    return { verified: sum(answer.verified), identified: sum(answer.identified), failed: sum(answer.failed) };
  }
  if (answer?.activePersons !== undefined) return { activePersons: answer.activePersons, trust: answer.trust };
  const text = JSON.stringify(answer);
  return { bytes: text.length, head: text.slice(0, 160) };
}
