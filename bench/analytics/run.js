// npm run bench:analytics [-- --runs 3 --sizes 1000000,10000000 --only sqlite|postgres --iterations 30 --seed 1 --no-ingest --no-reports]
//
// Analytics on SQLite and PostgreSQL side by side (packages/server/dist: npm
// run build first):
// - ingestion: events/s through POST /widget/v1/:widgetId/events of a
//   `lumio start` pinned to core 0, batches of 100 from a load generator
//   pinned to core 1, median of 3 timed runs, against ≥ 50,000 events/s;
// - report latency at each size (seeded once by seed.js and cached, keyed by
//   size and seed): median and p99 of services.reports over 30-day windows,
//   in a process pinned to one core, against p99 < 200 ms at 1M events and
//   < 1 s at 10M. See bench/analytics/README.md.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { reachable, redact } from '../support/postgres.js';
import { measureIngestion } from './ingest.js';
import { newMasterKey, openDatabase, seedIdentityStats } from './seeder.js';

const TARGET_INGEST = 50_000;
const TARGET_P99 = (events) => (events <= 1_000_000 ? 200 : 1_000);
const MOONSHOT_P99_10M = 500;
/** Issue 19's growth targets (p99 from the smallest to the largest size): reports that read person-free rollups. */
const GROWTH_TARGETS = { 'series, plan+role filter': 0.3, 'series, filter + by region': 0.3, 'identity health by day': 0.3 };
const log = (line = '') => process.stdout.write(`${line}\n`);
const args = parseArgs(process.argv.slice(2));
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const label = (n) => (n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n % 1000 === 0 ? `${n / 1000}k` : String(n));
const pretty = (n) => label(n).toUpperCase();

if (!fs.existsSync(path.join(repoRoot, 'packages/server/dist/analytics/event-store.js')))
  throw new Error('packages/server/dist has no analytics: run npm run build first.');
const pinned = spawnSync('taskset', ['-c', String(args.core), 'true']).status === 0;
const pgUrl = process.env.LUMIO_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
fs.mkdirSync(args['cache-dir'], { recursive: true });
const keyFile = path.join(args['cache-dir'], 'master.key');
if (!fs.existsSync(keyFile)) fs.writeFileSync(keyFile, `${newMasterKey()}\n`, { mode: 0o600 });
const masterKey = fs.readFileSync(keyFile, 'utf8').trim();
const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15).toLowerCase();
const workDir = fs.mkdtempSync(path.join(args['cache-dir'], 'run-'));

log(
  `bench:analytics — sizes ${args.sizes.map(pretty).join(', ')}, ${args.runs} runs × ${args.iterations} windows, seed ${args.seed}; ` +
    `${pinned ? `reports pinned to core ${args.core}` : 'not pinned (no taskset)'}; load average ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
);

const dialects = [];
for (const dialect of ['sqlite', 'postgres']) {
  if (args.only && args.only !== dialect) continue;
  if (dialect === 'postgres' && !(await reachable(pgUrl))) {
    log(`PostgreSQL skipped: ${redact(pgUrl)} is unreachable (set LUMIO_BENCH_DATABASE_URL).`);
    continue;
  }
  dialects.push(dialect);
}
if (dialects.length === 0) process.exit(1);

const ingestion = {};
if (args.ingest) {
  if (!pinned) throw new Error('the ingestion part needs taskset and 2 cores (or pass --no-ingest)');
  for (const dialect of dialects) {
    log(`ingestion, ${dialect}: warm-up ${args['ingest-warmup']} s, then ${args.runs} × ${args['ingest-seconds']} s`);
    ingestion[dialect] = await measureIngestion(dialect, {
      repoRoot,
      workDir,
      pgUrl,
      runs: args.runs,
      runSeconds: args['ingest-seconds'],
      warmupSeconds: args['ingest-warmup'],
      connections: args.connections,
      sessions: 64,
      identified: 32,
      profileDir: args.profile ? path.join(repoRoot, 'bench/results', `analytics-profiles-${stamp}`) : undefined,
      log,
    });
    if (args.profile) {
      const dir = path.join(repoRoot, 'bench/results', `analytics-profiles-${stamp}`, dialect);
      log(
        `  server CPU profile: ${path.relative(repoRoot, dir)} (self time below; node bench/identify/profile-summary.js <dir> prints it again)`,
      );
      spawnSync(process.execPath, [path.join(repoRoot, 'bench/identify/profile-summary.js'), dir], { stdio: 'inherit' });
    }
  }
}

const reports = {};
const seeding = {};
for (const dialect of args.reports ? dialects : []) {
  for (const size of args.sizes) {
    const key = `${dialect} ${pretty(size)}`;
    const target = await seeded(dialect, size);
    seeding[key] = target.meta;
    log(`reports, ${key}: ${args.runs} runs × ${args.iterations} windows`);
    const job = {
      dialect,
      label: pretty(size),
      seed: args.seed,
      runs: args.runs,
      iterations: args.iterations,
      warmup: 3,
      meta: target.meta,
      masterKey: dialect === 'postgres' ? masterKey : undefined,
      dataDir: target.dataDir,
      databaseUrl: dialect === 'postgres' ? pgUrl : undefined,
      schema: target.schema,
    };
    const command = [process.execPath, path.join(here, 'report-worker.js'), JSON.stringify(job)];
    const [bin, ...rest] = pinned ? ['taskset', '-c', String(args.core), ...command] : command;
    const child = spawnSync(bin, rest, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
    if (child.status !== 0) throw new Error(`the ${key} report worker failed (status ${child.status})`);
    reports[key] = JSON.parse(child.stdout.trim().split('\n').at(-1));
  }
}

// ---- report ----
log();
const summary = { ingestion: {}, reports: {}, seeding: {} };
if (args.ingest) {
  log(
    `Ingestion: POST /widget/v1/:widgetId/events, batches of 100, ${args.connections} clients, median of ${args.runs} × ${args['ingest-seconds']} s`,
  );
  log(
    `${'database'.padEnd(10)}${'events/s'.padStart(10)}${'batch p50'.padStart(11)}${'p99 ms'.padStart(8)}${'server cpu'.padStart(12)}${'pg cpu'.padStart(8)}${'other'.padStart(7)}   target`,
  );
  for (const dialect of Object.keys(ingestion)) {
    const runs = ingestion[dialect].runs;
    const rate = median(runs.map((r) => r.eventsPerSecond));
    const row = {
      eventsPerSecond: rate,
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
      serverCores: median(runs.map((r) => r.serverCores ?? 0)),
      postgresCores: median(runs.map((r) => r.postgresCores ?? 0)),
      otherCores: median(runs.map((r) => r.otherCores ?? 0)),
      lost: ingestion[dialect].acknowledged - ingestion[dialect].stored,
    };
    summary.ingestion[dialect] = row;
    log(
      `${dialect.padEnd(10)}${Math.round(rate).toLocaleString('en').padStart(10)}${row.p50.toFixed(1).padStart(11)}${row.p99.toFixed(1).padStart(8)}` +
        `${row.serverCores.toFixed(2).padStart(12)}${(dialect === 'postgres' ? row.postgresCores.toFixed(2) : '—').padStart(8)}${row.otherCores.toFixed(2).padStart(7)}` +
        `   ≥ ${TARGET_INGEST.toLocaleString('en')}${dialect === 'sqlite' ? (rate >= TARGET_INGEST ? ' MET' : ' MISSED') : ' (reference)'}; ` +
        `acknowledged ${ingestion[dialect].acknowledged.toLocaleString('en')}, stored ${ingestion[dialect].stored.toLocaleString('en')}`,
    );
    if (row.otherCores > 0.15)
      log(
        `  (other processes used ${row.otherCores.toFixed(2)} cores during the ${dialect} runs: rerun on a quiet machine before trusting them)`,
      );
  }
  log();
}

const keys = Object.keys(reports);
if (keys.length > 0) {
  const cases = Object.keys(reports[keys[0]].results);
  log(`Report latency in ms: median / p99 of ${args.iterations} windows of 30 days, median of ${args.runs} runs`);
  log(`${'report'.padEnd(28)}${keys.map((k) => k.padStart(18)).join('')}`);
  for (const name of cases) {
    const cells = keys.map((k) => {
      const runs = reports[k].results[name];
      const cell = { median: median(runs.map((r) => r.median)), p99: median(runs.map((r) => r.p99)) };
      (summary.reports[k] ??= {})[name] = cell;
      return `${cell.median.toFixed(0)} / ${cell.p99.toFixed(0)}`.padStart(18);
    });
    log(`${name.padEnd(28)}${cells.join('')}`);
  }
  log();
  for (const dialect of dialects) {
    const sizes = args.sizes.filter((s) => summary.reports[`${dialect} ${pretty(s)}`]);
    for (const size of sizes) {
      const k = `${dialect} ${pretty(size)}`;
      const worst = Math.max(...cases.map((c) => summary.reports[k][c].p99));
      const limit = TARGET_P99(size);
      const moon = size >= 10_000_000 ? `; moonshot < ${MOONSHOT_P99_10M} ms: ${worst < MOONSHOT_P99_10M ? 'MET' : 'missed'}` : '';
      log(`${k}: worst p99 ${worst.toFixed(0)} ms (target < ${limit} ms): ${worst < limit ? 'MET' : 'MISSED'}${moon}`);
    }
    if (sizes.length >= 2) {
      const [small, large] = [sizes[0], sizes.at(-1)];
      const growth = cases.map((c) => {
        const a = summary.reports[`${dialect} ${pretty(small)}`][c].p99;
        const b = summary.reports[`${dialect} ${pretty(large)}`][c].p99;
        // Cost ∝ N^k: the growth exponent issue 19 sets targets on.
        const k = Math.log(b / a) / Math.log(large / small);
        (summary.growth ??= {})[`${dialect} ${c}`] = k;
        const target = GROWTH_TARGETS[c];
        return `${c} ×${(b / a).toFixed(1)} (k ${k.toFixed(2)}${target === undefined ? '' : `, target ≤ ${target}: ${k <= target ? 'MET' : 'missed'}`})`;
      });
      log(`${dialect} p99 growth ${pretty(small)} → ${pretty(large)} (×${large / small} events): ${growth.join(', ')}`);
    }
  }
  log();
  for (const [k, meta] of Object.entries(seeding)) {
    summary.seeding[k] = { eventsPerSecond: meta.events / meta.eventSeconds, seconds: meta.seconds, cached: meta.cached };
    log(
      `seeded ${k}: ${meta.events.toLocaleString('en')} events, ${meta.people.toLocaleString('en')} people, ${meta.snapshots.toLocaleString('en')} snapshots, ` +
        `${Math.round(meta.events / meta.eventSeconds).toLocaleString('en')} events/s${meta.cached ? ' (when it was seeded; reused now)' : ''}`,
    );
  }
}

const resultsDir = path.join(repoRoot, 'bench/results');
fs.mkdirSync(resultsDir, { recursive: true });
const file = path.join(resultsDir, `analytics-${stamp}.json`);
fs.writeFileSync(
  file,
  JSON.stringify({ at: new Date().toISOString(), node: process.version, args, pinned, summary, ingestion, reports, seeding }, null, 2),
);
fs.rmSync(workDir, { recursive: true, force: true });
log(`written ${path.relative(repoRoot, file)}`);

/**
 * A database holding `size` events of the seed: the cached one when its
 * workspace still has them all, else emptied and seeded again by seed.js.
 */
async function seeded(dialect, size) {
  const name = `${dialect}-${label(size)}-s${args.seed}`;
  const metaFile = path.join(args['cache-dir'], `${name}.json`);
  const schema = dialect === 'postgres' ? `lumio_bench_analytics_${label(size)}_s${args.seed}` : undefined;
  const dataDir = dialect === 'sqlite' ? path.join(args['cache-dir'], name) : undefined;
  const where = { dataDir, databaseUrl: dialect === 'postgres' ? pgUrl : undefined, schema, masterKey };
  if (fs.existsSync(metaFile)) {
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
    if (meta.events === size && (await storedEvents(where, meta.workspaceId)) === size) {
      if (!meta.identityStats) {
        // Seeded before the seeder wrote the identity log's counts: add them once.
        log(`adding the identity log's hourly counts to the cached ${name}`);
        const { adapter } = await openDatabase(where);
        try {
          await seedIdentityStats(adapter.db, meta.workspaceId);
        } finally {
          await adapter.destroy();
        }
        meta.identityStats = true;
        fs.writeFileSync(metaFile, JSON.stringify(meta, null, 2));
      }
      return { ...where, meta: { ...meta, cached: true } };
    }
  }
  log(`seeding ${dialect} with ${pretty(size)} events (seed ${args.seed}); cached in ${dataDir ?? `schema ${schema}`} for the next runs`);
  fs.rmSync(metaFile, { force: true });
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  else {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
  const seedArgs = ['--events', String(size), '--seed', String(args.seed), '--json'];
  if (dataDir) seedArgs.push('--data-dir', dataDir);
  else seedArgs.push('--database-url', pgUrl, '--schema', schema);
  const meta = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, 'seed.js'), ...seedArgs], {
      env: { ...process.env, LUMIO_MASTER_KEY: masterKey },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let last = '';
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop();
      for (const line of lines) {
        if (line.startsWith('{')) last = line;
        else log(`  ${line}`);
      }
    });
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(last)) : reject(new Error(`seed.js exited with ${code}`))));
  });
  fs.writeFileSync(metaFile, JSON.stringify(meta, null, 2));
  return { ...where, meta: { ...meta, cached: false } };
}

async function storedEvents(where, workspaceId) {
  try {
    const { adapter } = await openDatabase(where);
    try {
      const row = await adapter.db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    } finally {
      await adapter.destroy();
    }
  } catch {
    return -1;
  }
}

function parseArgs(argv) {
  const out = {
    runs: 3,
    iterations: 30,
    sizes: [1_000_000, 10_000_000],
    only: undefined,
    seed: 1,
    core: 1,
    ingest: true,
    reports: true,
    profile: false,
    'ingest-seconds': 10,
    'ingest-warmup': 5,
    connections: 16,
    'cache-dir': process.env.LUMIO_BENCH_ANALYTICS_CACHE ?? '/tmp/lumio-bench-analytics',
  };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (key === 'help') {
      log(
        'Usage: node bench/analytics/run.js [--runs 3] [--iterations 30] [--sizes 1000000,10000000] [--only sqlite|postgres] [--seed 1]\n' +
          '         [--core 1] [--no-ingest] [--no-reports] [--profile] [--ingest-seconds 10] [--ingest-warmup 5] [--connections 16] [--cache-dir /tmp/lumio-bench-analytics]',
      );
      process.exit(0);
    }
    if (key === 'no-ingest' || key === 'no-reports') {
      out[key.slice(3)] = false;
      continue;
    }
    if (key === 'profile') {
      out.profile = true;
      continue;
    }
    if (!(key in out) || ['ingest', 'reports', 'profile'].includes(key)) throw new Error(`unknown option ${argv[i]} (--help lists them)`);
    const value = argv[++i];
    if (value === undefined) throw new Error(`${argv[i - 1]} needs a value`);
    if (key === 'sizes') out.sizes = value.split(',').map((s) => Number(s.replace(/_/g, '')));
    else out[key] = key === 'only' || key === 'cache-dir' ? value : Number(value);
  }
  out.sizes.sort((a, b) => a - b);
  return out;
}
