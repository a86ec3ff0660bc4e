// npm run bench:markdown [-- --runs 3 --duration 10 --warmup 2 --renders 4]
//
// Does a Markdown document that takes minutes to render stall other tenants?
// Measures the p99 latency of /healthz and of a verified identify while 4
// worst-case documents are rendered continuously (article previews and a help
// import), against the same probes alone; see bench/README.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { BUSY_OTHER_CORES } from '../identify/cases.js';
import { cpuBetween, cpuSnapshot, waitForQuiet } from '../identify/cpu-monitor.js';
import { LOAD_CORE } from '../identify/load.js';
import { LumioApi } from '../identify/lumio-api.js';
import { generateMasterKey, SERVER_CORE, startLumio } from '../identify/lumio-server.js';
import { spawnPinned, stopGroup } from '../identify/processes.js';
import { fmtMs, median, table } from '../identify/report.js';

// The issue's bar: the probes keep answering within this while the renders run.
const TARGET_P99_MS = 50;

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    renders: { type: 'string', default: '4' },
    'probe-gap': { type: 'string', default: '5' },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  process.stdout.write('npm run bench:markdown [-- --runs 3 --duration 10 --warmup 2 --renders 4 --probe-gap 5]\n');
  process.exit(0);
}
const options = {
  runs: Number(flags.runs),
  durationMs: Number(flags.duration) * 1000,
  warmupMs: Number(flags.warmup) * 1000,
  renders: Number(flags.renders),
  probeGapMs: Number(flags['probe-gap']),
};
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const log = (line = '') => process.stdout.write(`${line}\n`);
if (!fs.existsSync(path.join(repoRoot, 'packages/server/dist/content/markdown-worker.js'))) {
  log('The server is not built (packages/server/dist/content/markdown-worker.js is missing); run `npm run build` first.');
  process.exit(1);
}
if (os.cpus().length < 2) {
  log('This benchmark pins the server and the load to different cores; it needs 2.');
  process.exit(1);
}

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-bench-markdown-'));
const p99 = (values) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
};

log(`Lumio Markdown isolation benchmark ${new Date().toISOString()}`);
log(`machine: node ${process.version}, ${os.cpus().length} cpus (${os.cpus()[0]?.model ?? 'unknown'})`);
log(
  `settings: ${options.renders} worst-case renders in flight (100 k chars of \`_*a\`), probes every ${options.probeGapMs} ms, ` +
    `${options.runs} runs of ${options.durationMs / 1000} s per mode after ${options.warmupMs / 1000} s warm-up, median of the runs' p99 reported`,
);
log(
  `pinning: Lumio (with its Markdown worker threads) on core ${SERVER_CORE}, load and probes on core ${LOAD_CORE}; ` +
    `Markdown pool as configured (LUMIO_MARKDOWN_WORKERS=${process.env.LUMIO_MARKDOWN_WORKERS ?? '1'}, ` +
    `LUMIO_MARKDOWN_BUDGET_MS=${process.env.LUMIO_MARKDOWN_BUDGET_MS ?? '2000'}); logs in ${workDir}`,
);

const server = await startLumio({
  repoRoot,
  dataDir: path.join(workDir, 'data'),
  masterKey: generateMasterKey(repoRoot),
  logFile: path.join(workDir, 'lumio.log'),
  firstStart: true,
});
const results = { baseline: [], renders: [] };
try {
  const api = new LumioApi(server.origin);
  const workspaceId = await api.setup(server.setupToken);
  const { widgetId, secret } = await api.createWidget(workspaceId, 'bench');
  const sessionToken = await api.startSession(widgetId, 'anon_benchmarkmarkdown01');
  const base = { origin: server.origin, cookie: api.cookie, workspaceId, widgetId, secret, sessionToken, ...options };

  // Alternating the modes spreads any drift of the machine over both.
  for (let run = 1; run <= options.runs; run++) {
    for (const mode of ['baseline', 'renders']) {
      await waitForQuiet({ pids: [server.child.pid], threshold: BUSY_OTHER_CORES, maxWaitMs: 10_000, log });
      const jobFile = path.join(workDir, `job-${mode}-${run}.json`);
      fs.writeFileSync(jobFile, JSON.stringify({ ...base, renders: mode === 'renders' ? options.renders : 0 }));
      let out = '';
      let before = null;
      let after = null;
      const load = spawnPinned(LOAD_CORE, process.execPath, [path.join(repoRoot, 'bench/markdown/load.js'), jobFile], {
        logFile: path.join(workDir, 'load.log'),
        onStdout: (text) => {
          out += text;
          // The result line is printed just before the load exits: the last moment its CPU time can be read.
          if (out.includes('\n')) after ??= cpuSnapshot([server.child.pid, load.pid]);
        },
      });
      before = cpuSnapshot([server.child.pid, load.pid]);
      const exit = await load.exited;
      if (exit.code !== 0) throw new Error(`the load process failed (${JSON.stringify(exit)}); see ${workDir}/load.log`);
      const cpu = cpuBetween(before, after);
      const { latencies, answers } = JSON.parse(out.trim().split('\n').at(-1));
      const other = cpu ? cpu.otherCores : 0;
      const busy = other > BUSY_OTHER_CORES;
      const entry = {
        healthz: p99(latencies.healthz),
        identify: p99(latencies.identify),
        probes: latencies.healthz.length + latencies.identify.length,
        serverCores: cpu?.ownCores[server.child.pid] ?? NaN,
        loadCores: cpu?.ownCores[load.pid] ?? NaN,
        other,
        busy,
        answers,
      };
      results[mode].push(entry);
      log(
        `  run ${run} ${mode.padEnd(8)} p99 /healthz ${fmtMs(entry.healthz)} ms, identify ${fmtMs(entry.identify)} ms, ` +
          `${entry.probes} probes, server ${entry.serverCores.toFixed(2)} cores, load ${entry.loadCores.toFixed(2)}, other ${other.toFixed(2)}${busy ? ' BUSY' : ''}` +
          (Object.keys(answers).length
            ? `; renders: ${Object.entries(answers)
                .map(([k, n]) => `${n}× ${k}`)
                .join(', ')}`
            : ''),
      );
    }
  }
} finally {
  await stopGroup(server.child);
}

log();
const summary = (mode, key) => median(results[mode].map((r) => r[key]));
const busyRuns = (mode) => results[mode].filter((r) => r.busy).length;
log(
  table(
    ['p99 (median of runs)', 'baseline (probes only)', `${options.renders} worst-case renders`, `target`, 'verdict'],
    ['healthz', 'identify'].map((key) => {
      const value = summary('renders', key);
      return [
        key === 'healthz' ? 'GET /healthz' : 'verified identify',
        `${fmtMs(summary('baseline', key))} ms`,
        `${fmtMs(value)} ms`,
        `< ${TARGET_P99_MS} ms`,
        value < TARGET_P99_MS ? 'ok' : 'MISSED',
      ];
    }),
  ),
);
for (const mode of ['baseline', 'renders'])
  if (busyRuns(mode))
    log(`${busyRuns(mode)} ${mode} run(s) marked BUSY: other processes used CPU during them; the figures are less reliable.`);
fs.rmSync(workDir, { recursive: true, force: true });
