// npm run bench:import [-- --rows 1000000 --runs 3 --only sqlite|postgres --warmup-rows 100000]
//
// Bulk import throughput: a CSV of --rows users streamed to
// POST /server/v1/users/import of a fresh Lumio, on SQLite and PostgreSQL;
// users per second, the median of --runs runs. See bench/README.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { BUSY_OTHER_CORES } from '../identify/cases.js';
import { cpuBetween, cpuSnapshot, waitForQuiet } from '../identify/cpu-monitor.js';
import { LumioApi } from '../identify/lumio-api.js';
import { SERVER_CORE, generateMasterKey, startLumio } from '../identify/lumio-server.js';
import { LOAD_CORE } from '../identify/load.js';
import { spawnPinned, stopGroup } from '../identify/processes.js';
import { fmtCores, fmtRate, median, table } from '../identify/report.js';
import { freshPostgresDatabase, postgresUnreachable } from '../identify/targets.js';
import { redact } from '../support/postgres.js';
import { benchCsv } from './csv-file.js';

const USAGE = `usage: npm run bench:import -- [options]
  --rows N            rows in the CSV (default 1000000; the file is cached in the temp dir)
  --runs N            measured runs per database (default 3; the median is reported)
  --warmup-rows N     rows of the discarded warm-up import per database (default 100000; 0 for none)
  --only DB           sqlite or postgres (default: both)
  --wait-quiet S      before each run, wait up to S seconds for other processes to go idle (default 60)
  --busy-retries N    redo a run during which other processes were busy, up to N times (default 2)
  --budget S          stop waiting and redoing runs after S seconds in all (default 600)
  --pg-admin-url URL  PostgreSQL to create the benchmark database in
                      (default postgres://postgres@127.0.0.1:5432/postgres, or LUMIO_BENCH_PG_URL)
  --pg-database NAME  benchmark database, dropped and recreated per run (default lumio_bench_import)
  --no-floor          skip the storage floor (floor.js: the same users inserted with the import's own
                      statements and nothing else, before each run)
LUMIO_BENCH_CPU_PROF=DIR writes the server's CPU profiles there (node --cpu-prof).`;

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const log = (line = '') => process.stdout.write(`${line}\n`);
const options = parseOptions();
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-bench-import-'));
const budgetEndsAt = Date.now() + options.budget * 1000;
const NAMES = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

if (os.cpus().length < 2) {
  log('This benchmark pins the server and the uploader to different cores; it needs 2.');
  process.exit(1);
}
log(`Lumio import benchmark ${new Date().toISOString()}`);
log(`machine: node ${process.version}, ${os.cpus().length} cpus (${os.cpus()[0]?.model ?? 'unknown'})`);
log(`pinning: server on core ${SERVER_CORE}, uploader on core ${LOAD_CORE}; logs in ${workDir}`);
const file = await benchCsv(options.rows, log);
const warmupFile = options.warmupRows > 0 ? await benchCsv(options.warmupRows, log) : null;
log(`file: ${file} (${(fs.statSync(file).size / 2 ** 20).toFixed(1)} MiB)`);
log();

const rows = [];
let failed = false;
for (const database of options.databases) {
  if (database === 'postgres') {
    const reason = await postgresUnreachable(options.pgAdminUrl);
    if (reason) {
      log(`PostgreSQL at ${redact(options.pgAdminUrl)} is unreachable (${reason}): skipped.`);
      continue;
    }
  }
  log(`${NAMES[database]}:`);
  if (warmupFile) {
    const warm = await importOnce(database, warmupFile);
    log(`  warm-up (${options.warmupRows.toLocaleString('en-US')} rows, discarded): ${fmtRate(warm.rowsPerSec)} rows/s`);
  }
  const runs = [];
  const floors = [];
  for (let run = 1; run <= options.runs; run++) {
    if (options.floor) {
      const floor = await importOnce(database, file, 'floor');
      floors.push(floor);
      log(
        `  run ${run}: storage floor ${fmtRate(floor.rowsPerSec)} rows/s (${(floor.ms / 1000).toFixed(1)} s; the inserts alone, floor.js)`,
      );
    }
    let result;
    for (let attempt = 0; ; attempt++) {
      if (Date.now() < budgetEndsAt) {
        await waitForQuiet({ threshold: BUSY_OTHER_CORES, maxWaitMs: options.waitQuiet * 1000, log: (l) => log(`  ${l.trim()}`) });
      }
      result = await importOnce(database, file);
      const busy = result.cpu && result.cpu.otherCores > BUSY_OTHER_CORES;
      if (!busy || attempt >= options.busyRetries || Date.now() >= budgetEndsAt) {
        result.busy = busy;
        break;
      }
      log(`  run ${run}: other processes used ${fmtCores(result.cpu.otherCores)} cores; redoing it`);
    }
    runs.push(result);
    if (result.summary?.imported !== options.rows) failed = true;
    log(
      `  run ${run}: ${fmtRate(result.rowsPerSec)} rows/s (${(result.ms / 1000).toFixed(1)} s, imported ${result.summary?.imported ?? '?'}, ` +
        `failed ${result.summary?.failed ?? '?'}; server ${fmtCores(result.cpu?.serverCores)} cores, ` +
        `${database === 'postgres' ? `PostgreSQL ${fmtCores(result.cpu?.postgresCores)} cores, ` : ''}other ${fmtCores(result.cpu?.otherCores)})` +
        `${result.busy ? ' BUSY: treat with care' : ''}`,
    );
  }
  rows.push([
    NAMES[database],
    fmtRate(median(runs.map((r) => r.rowsPerSec))),
    ...runs.map((r) => fmtRate(r.rowsPerSec)),
    runs.some((r) => r.busy) ? 'busy' : '',
  ]);
  if (floors.length) {
    rows.push([
      `${NAMES[database]} floor`,
      fmtRate(median(floors.map((r) => r.rowsPerSec))),
      ...floors.map((r) => fmtRate(r.rowsPerSec)),
      'inserts alone',
    ]);
  }
  log();
}
log(`${options.rows.toLocaleString('en-US')}-row CSV, rows/s (median of ${options.runs}); target ≥ 50,000 on SQLite`);
log(table(['database', 'median', ...Array.from({ length: options.runs }, (_, i) => `run ${i + 1}`), 'notes'], rows));
if (failed) {
  log('\nSome runs did not import every row: see the logs above.');
  process.exitCode = 1;
}

/**
 * One import into a fresh Lumio (new data dir or new database): rows/s, its answer and the CPU used.
 * mode 'floor': the same fresh Lumio is set up and stopped, then floor.js stores the file's users
 * straight into its database, pinned to the server's core.
 */
async function importOnce(database, csvFile, mode = 'import') {
  const dataDir = fs.mkdtempSync(path.join(workDir, `${database}-data-`));
  const databaseUrl = database === 'postgres' ? await freshPostgresDatabase(options.pgAdminUrl, options.pgDatabase) : undefined;
  const server = await startLumio({
    repoRoot,
    dataDir,
    databaseUrl,
    masterKey: generateMasterKey(repoRoot),
    logFile: path.join(workDir, `${database}-server.log`),
    firstStart: true,
    cpuProfDir: process.env.LUMIO_BENCH_CPU_PROF,
    env: { LUMIO_DEMO: 'false' },
  });
  try {
    const api = new LumioApi(server.origin);
    const workspaceId = await api.setup(server.setupToken);
    await api.createApiKey(workspaceId);
    if (mode === 'floor') {
      await stopGroup(server.child);
      return await floorOnce(database, databaseUrl ?? path.join(dataDir, 'lumio.db'), workspaceId, csvFile);
    }
    let output = '';
    const before = cpuSnapshot([server.child.pid]);
    const uploader = spawnPinned(
      LOAD_CORE,
      process.execPath,
      [path.join(repoRoot, 'bench/import/upload.js'), server.origin, api.apiKey, csvFile],
      {
        logFile: path.join(workDir, 'uploader.log'),
        onStdout: (text) => (output += text),
      },
    );
    const exit = await uploader.exited;
    const after = cpuSnapshot([server.child.pid]);
    const answer = JSON.parse(output.trim().split('\n').pop() || '{}');
    const cpu = cpuBetween(before, after, answer.cpuMs ?? 0);
    if (exit.code !== 0 || answer.status !== 200) throw new Error(`the import failed: ${JSON.stringify(answer).slice(0, 500)}`);
    const imported = answer.summary.imported;
    return {
      ms: answer.ms,
      rowsPerSec: imported / (answer.ms / 1000),
      summary: answer.summary,
      cpu: cpu && { serverCores: cpu.ownCores[server.child.pid], postgresCores: cpu.postgresCores, otherCores: cpu.otherCores },
    };
  } finally {
    await stopGroup(server.child);
  }
}

async function floorOnce(database, target, workspaceId, csvFile) {
  let output = '';
  const child = spawnPinned(
    SERVER_CORE,
    process.execPath,
    ['--max-old-space-size=8192', path.join(repoRoot, 'bench/import/floor.js'), database, target, workspaceId, csvFile],
    { logFile: path.join(workDir, 'floor.log'), onStdout: (text) => (output += text) },
  );
  const exit = await child.exited;
  const answer = JSON.parse(output.trim().split('\n').pop() || '{}');
  if (exit.code !== 0 || !answer.rows) throw new Error(`floor.js failed (see ${path.join(workDir, 'floor.log')})`);
  return { ms: answer.ms, rowsPerSec: answer.rows / (answer.ms / 1000) };
}

function parseOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        rows: { type: 'string', default: '1000000' },
        runs: { type: 'string', default: '3' },
        'warmup-rows': { type: 'string', default: '100000' },
        only: { type: 'string' },
        'wait-quiet': { type: 'string', default: '60' },
        'busy-retries': { type: 'string', default: '2' },
        budget: { type: 'string', default: '600' },
        'pg-admin-url': { type: 'string', default: process.env.LUMIO_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
        'pg-database': { type: 'string', default: 'lumio_bench_import' },
        'no-floor': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    fail(error.message);
  }
  if (values.help) {
    log(USAGE);
    process.exit(0);
  }
  const whole = (name, min, max) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
  if (values.only !== undefined && !['sqlite', 'postgres'].includes(values.only)) fail('--only must be sqlite or postgres');
  if (!/^[a-z_][a-z0-9_]*$/.test(values['pg-database'])) fail('--pg-database must be a plain lowercase identifier');
  return {
    rows: whole('rows', 1, 100_000_000),
    runs: whole('runs', 1, 25),
    warmupRows: whole('warmup-rows', 0, 10_000_000),
    waitQuiet: whole('wait-quiet', 0, 3600),
    busyRetries: whole('busy-retries', 0, 10),
    budget: whole('budget', 0, 86400),
    databases: values.only ? [values.only] : ['sqlite', 'postgres'],
    pgAdminUrl: values['pg-admin-url'],
    pgDatabase: values['pg-database'],
    floor: !values['no-floor'],
  };
}

function fail(message) {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}
