// npm run bench:identify [-- --runs 3 --duration 8 --warmup 3 --connections 50 --only sqlite|postgres --nodes N --crash --profile]
//
// Identify throughput and latency of Lumio against a bare node:http floor,
// on SQLite and PostgreSQL; see bench/README.md.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUSY_OTHER_CORES, measureFirstTime, measureRepeat } from './cases.js';
import { cpuBetween, cpuSnapshot } from './cpu-monitor.js';
import { crashTest } from './crash.js';
import { LOAD_COMMAND, LOAD_CORE } from './load.js';
import { SERVER_CORE } from './lumio-server.js';
import { parseOptions } from './options.js';
import { summarizeProfiles } from './profile-summary.js';
import { compareNodes } from './nodes-comparison.js';
import { nodesReport } from './nodes-report.js';
import { fmtCores, fmtMs, fmtRate, fmtRatio, judge, LOAD_GENERATOR_SATURATED, table, TARGETS } from './report.js';
import { FASTIFY_REFERENCES, postgresUnreachable, startFastifyReference, startFloor, startLumioTarget } from './targets.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const NAMES = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

const options = parseOptions(process.argv.slice(2));
const startedAt = new Date();
const runId = startedAt.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', 't');
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-bench-'));
const resultsDir = path.join(repoRoot, 'bench/results');
if (options.profile) options.profileDir = path.join(resultsDir, `profiles-${runId}`);
const log = (line = '') => process.stdout.write(`${line}\n`);
// Past this, the benchmark no longer waits for a quiet machine nor redoes busy runs.
const budgetEndsAt = Date.now() + options.budget * 1000;
const ctx = { options, repoRoot, workDir, logFile: path.join(workDir, 'load-generator.log'), runId, log, budgetEndsAt };

const machine = {
  node: process.version,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
};
if (machine.cpus < 2) {
  log(`Only ${machine.cpus} CPU: the server and the load generator cannot be pinned to different cores; this benchmark needs 2.`);
  process.exit(1);
}

const build = buildState();
log(`Lumio identify benchmark ${startedAt.toISOString()}`);
log(`machine: node ${machine.node}, ${machine.cpus} cpus (${machine.cpuModel}), ${machine.platform}, ${machine.memoryGiB} GiB`);
log(
  `server build: commit ${build.commit}${build.uncommitted ? ` + ${build.uncommitted} uncommitted file(s) under packages/` : ''}, dist last built ${build.distBuiltAt}`,
);
log(
  `settings: ${options.connections} connections, warm-up ${options.warmup} s (discarded), ${options.runs} measured runs of ${options.duration} s per case, median reported`,
);
if (options.nodes > 1)
  log(
    `pinning: per configuration below (${options.nodes} nodes share ${machine.cpus} cores with PostgreSQL and the load generator); logs in ${workDir}`,
  );
else log(`pinning: servers (Lumio, floor) on core ${SERVER_CORE}, load generator on core ${LOAD_CORE}; logs in ${workDir}`);
machine.busyCoresBeforeStart = await busyCores();
if (machine.busyCoresBeforeStart > BUSY_OTHER_CORES) {
  log(
    `WARNING: other processes used ${machine.busyCoresBeforeStart.toFixed(2)} cores before the benchmark started (a build or test run?); ` +
      `each run waits up to ${options.waitQuiet} s for them to go idle, and runs they disturb are redone or flagged.`,
  );
}
log();

const results = {
  startedAt: startedAt.toISOString(),
  machine,
  build,
  options: { ...options },
  commands: { loadGenerator: LOAD_COMMAND },
  floor: null,
  databases: {},
  crash: {},
};
let failed = false;
try {
  const databases = [];
  for (const database of options.databases) {
    if (database === 'postgres') {
      const reason = await postgresUnreachable(options.pgAdminUrl);
      if (reason) {
        log(`PostgreSQL is unreachable at ${redact(options.pgAdminUrl)} (${reason}): skipping the PostgreSQL run.`);
        log();
        results.databases.postgres = { skipped: reason };
        continue;
      }
    }
    databases.push(database);
  }

  if (options.crash) {
    for (const database of databases) {
      log(`${NAMES[database]}: crash test (kill -9 mid-run, restart, check acknowledged writes)`);
      results.crash[database] = await crashTest(database, ctx);
      const c = results.crash[database];
      log(`${NAMES[database]} crash: acknowledged ${c.acknowledged}, stored ${c.stored}, lost ${c.lost}  ${c.verdict}`);
      log();
    }
  } else if (options.nodes > 1) {
    // One node against N: no floor nor references, which measure one server core.
    if (databases.length > 0) {
      results.scaleOut = await compareNodes(ctx);
      printScaleOut();
      if (options.profileDir) printProfiles();
    }
  } else if (databases.length > 0) {
    log('floor: bare node:http, JSON.parse + HMAC check');
    const floor = await startFloor(ctx);
    results.commands.floor = floor.command;
    try {
      results.floor = {};
      if (options.cases.includes('repeat')) results.floor.repeat = await measureRepeat(floor, ctx);
      if (options.cases.includes('first-time'))
        results.floor['first-time'] = await measureFirstTime(floor, ctx, results.floor.repeat?.summary.reqPerSec ?? 5000);
    } finally {
      await floor.stop();
    }
    // What Fastify, then Fastify with the route stack Lumio's identify runs
    // under, cost for the floor's own work: the ceiling of any Fastify identify.
    if (options.references && options.cases.includes('repeat')) {
      results.references = {};
      for (const stack of Object.keys(FASTIFY_REFERENCES)) {
        log(`reference: ${FASTIFY_REFERENCES[stack]}, JSON.parse + HMAC check`);
        const reference = await startFastifyReference(ctx, stack);
        results.commands[`fastify-${stack}`] = reference.command;
        try {
          results.references[stack] = { repeat: await measureRepeat(reference, ctx) };
        } finally {
          await reference.stop();
        }
      }
    }
    log();
    for (const database of databases) {
      log(`${NAMES[database]}: Lumio`);
      const target = await startLumioTarget(database, ctx);
      results.commands[database] = lumioCommand(database, target);
      try {
        const result = {};
        results.databases[database] = result;
        if (options.cases.includes('repeat')) result.repeat = await measureRepeat(target, ctx);
        if (options.cases.includes('first-time'))
          result['first-time'] = await measureFirstTime(target, ctx, result.repeat?.summary.reqPerSec ?? 1000);
      } finally {
        await target.stop();
      }
      log();
    }
    printTables();
    if (options.profileDir) printProfiles();
  }
} catch (error) {
  failed = true;
  process.stderr.write(`\nbenchmark failed: ${error.stack ?? error}\nlogs kept in ${workDir}\n`);
} finally {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `identify-${runId}.json`);
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  log(`results: ${path.relative(process.cwd(), file)}`);
  if (!failed) fs.rmSync(workDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

function printTables() {
  log('commands:');
  log(`  load generator: ${LOAD_COMMAND}`);
  log(`  floor:          ${results.commands.floor}`);
  for (const stack of Object.keys(results.references ?? {}))
    log(`  fastify ${stack}:${' '.repeat(Math.max(1, 7 - stack.length))}${results.commands[`fastify-${stack}`]}`);
  for (const database of Object.keys(results.databases))
    if (results.commands[database]) log(`  ${NAMES[database]}:${' '.repeat(15 - NAMES[database].length)} ${results.commands[database]}`);
  log();
  const floor = results.floor;
  for (const [database, result] of Object.entries(results.databases)) {
    log(`${NAMES[database]} — ${options.connections} connections, median of ${options.runs} × ${options.duration} s`);
    if (result.skipped) {
      log(`  skipped: PostgreSQL unreachable (${result.skipped})`);
      log();
      continue;
    }
    const rows = [];
    const cpu = (s) => `${fmtCores(s.serverCores)}${s.postgresCores > 0.005 ? ` + pg ${fmtCores(s.postgresCores)}` : ''}`;
    const busy = [];
    const loadBound = [];
    // The floor is the repeat-body floor: the server's work is the same for
    // every body, and it is the run where the server, not the load generator,
    // is the limit. The new-user floor shows what the load generator can
    // drive when it sends a new body and token per request.
    const theFloor = (floor.repeat ?? floor['first-time']).summary;
    const floorRow = (label, s) => {
      if (s.otherCores > BUSY_OTHER_CORES) busy.push(label);
      if (s.loadGeneratorCores > LOAD_GENERATOR_SATURATED) loadBound.push(label);
      return [
        label,
        fmtRate(s.reqPerSec),
        fmtMs(s.p99),
        fmtRatio(s.reqPerSec / theFloor.reqPerSec),
        cpu(s),
        fmtCores(s.loadGeneratorCores),
        '',
        '',
      ];
    };
    if (floor.repeat) rows.push(floorRow('floor', floor.repeat.summary));
    if (floor['first-time']) rows.push(floorRow('floor (new user/req)', floor['first-time'].summary));
    for (const [stack, reference] of Object.entries(results.references ?? {}))
      rows.push(floorRow(FASTIFY_REFERENCES[stack], reference.repeat.summary));
    for (const kind of options.cases) {
      const summary = result[kind].summary;
      const verdict = judge(kind, summary, theFloor, result[kind].writes);
      result[kind].verdict = verdict;
      const target = TARGETS[kind];
      const targetText = `≥ ${target.minRatio.toFixed(2)}, p99 < ${target.maxP99} ms${kind === 'first-time' ? ', 0 lost' : ''}`;
      if (summary.otherCores > BUSY_OTHER_CORES) busy.push(kind);
      if (summary.loadGeneratorCores > LOAD_GENERATOR_SATURATED) loadBound.push(kind);
      rows.push([
        kind,
        fmtRate(summary.reqPerSec),
        fmtMs(summary.p99),
        fmtRatio(verdict.ratio),
        cpu(summary),
        fmtCores(summary.loadGeneratorCores),
        targetText,
        `${verdict.verdict}${verdict.notes.length ? ` (${verdict.notes.join('; ')})` : ''}`,
      ]);
    }
    log(table(['case', 'req/s', 'p99 ms', 'vs floor', 'server cpu', 'load cpu', 'target', 'result'], rows));
    const writes = result['first-time']?.writes;
    if (writes) log(`writes (first-time runs): acknowledged ${writes.acknowledged}, stored ${writes.stored}, lost ${writes.lost}`);
    const notes = [];
    if (busy.length)
      notes.push(
        `other processes used more than ${BUSY_OTHER_CORES} of a core during ${busy.join(', ')}: those numbers are unreliable, run again on a quiet machine`,
      );
    if (loadBound.length)
      notes.push(
        `the load generator used more than ${LOAD_GENERATOR_SATURATED} of its core during ${loadBound.join(', ')}: that rate is the load generator's limit, not the server's`,
      );
    if (database !== 'sqlite')
      notes.push('the issue sets its targets for SQLite; PostgreSQL is judged against the same numbers for reference');
    if (database === 'postgres') notes.push('PostgreSQL itself is not pinned and shares both cores');
    if (options.connections !== 50) notes.push(`targets are defined at 50 connections, this run used ${options.connections}`);
    for (const note of notes) log(`note: ${note}`);
    log();
  }
  log('vs floor = req/s ÷ floor req/s. "floor (new user/req)" is the floor driven like the first-time case (a new body and token per');
  log('request): the most the load generator can drive that way; a first-time rate near it would be limited by the load generator.');
  if (results.references)
    log(
      "The fastify rows do the floor's work on Fastify, bare and under the route stack of Lumio's identify (logger, request ids, helmet,\n" +
        'rate limits per IP and per widget, request metrics): what Fastify and that stack cost before identify does anything.',
    );
  log(
    'server cpu / load cpu = cores the server / load generator used while measuring (1.00 = its core saturated); "+ pg" = PostgreSQL processes.',
  );
  log();
}

function printScaleOut() {
  log('commands:');
  for (const c of results.scaleOut) {
    const load =
      c.pinning.loadCore === null
        ? LOAD_COMMAND.replace(/^taskset -c \d+ /, '')
        : LOAD_COMMAND.replace(/-c \d+/, `-c ${c.pinning.loadCore}`);
    log(`  ${c.nodes === 1 ? '1 node: ' : `${c.nodes} nodes:`} load generator: ${load}`);
    for (const [i, command] of c.commands.entries())
      log(`           node ${i + 1}: ${lumioCommand('postgres', { databaseUrl: c.databaseUrl, command })}`);
  }
  log();
  for (const line of nodesReport(results.scaleOut, { options, cpus: machine.cpus })) log(line);
  log();
}

function printProfiles() {
  // With --nodes, one profile directory per node of each configuration.
  const dirs = results.scaleOut
    ? fs.existsSync(options.profileDir)
      ? fs.readdirSync(options.profileDir).map((name) => [name, `the Lumio node ${name}`])
      : []
    : Object.keys(results.databases).map((database) => [database, `the ${NAMES[database]} server`]);
  for (const [name, what] of dirs) {
    const dir = path.join(options.profileDir, name);
    if (!fs.existsSync(dir)) continue;
    log(`CPU profile of ${what} (whole run; self time):`);
    log(summarizeProfiles(dir, 20));
    log();
  }
}

/** Which server code is measured: the commit, uncommitted changes, and when dist was last built. */
function buildState() {
  const git = (...args) => {
    try {
      return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  let newest = 0;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else newest = Math.max(newest, fs.statSync(file).mtimeMs);
    }
  };
  try {
    walk(path.join(repoRoot, 'packages/server/dist'));
  } catch {
    // not built
  }
  return {
    commit: git('rev-parse', '--short', 'HEAD') || 'unknown',
    uncommitted: git('status', '--porcelain', '--', 'packages').split('\n').filter(Boolean).length,
    distBuiltAt: newest ? new Date(newest).toISOString() : 'never (run npm run build)',
  };
}

/** Cores used by other processes over one second, before the benchmark starts anything. */
async function busyCores() {
  const before = cpuSnapshot([], options.pgDatabase);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const cpu = cpuBetween(before, cpuSnapshot([], options.pgDatabase));
  return cpu ? cpu.otherCores : NaN;
}

function lumioCommand(database, target) {
  const env = [
    'HOST=127.0.0.1',
    'PORT=<free port>',
    `LUMIO_DATA_DIR=<fresh temp dir>`,
    'LUMIO_LOG_LEVEL=warn',
    'LUMIO_MASTER_KEY=$(lumio keygen)',
  ];
  if (database === 'postgres') env.push(`DATABASE_URL=${redact(target.databaseUrl)}`);
  env.push('LUMIO_RATE_IDENTIFY_PER_IP=100000000', 'LUMIO_RATE_IDENTIFY_PER_WIDGET=100000000');
  return `${env.join(' ')} ${target.command}`;
}

function redact(url) {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
