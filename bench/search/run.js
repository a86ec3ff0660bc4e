// npm run bench:search [-- --articles 10000 --runs 3 --iterations 50 --path personalised|engine --limit 20 --core 1 --only sqlite|postgres]
//
// Search latency of the widget's search (HelpCenterReader.search for a verified
// viewer: engine, audience filter and per-viewer relevance; `--path engine`:
// ArticleSearch.search alone) (packages/server/dist: npm run build
// first) over 10,000 generated help-center articles in one workspace, on
// SQLite and PostgreSQL side by side: median and p99 per kind of query and
// overall, the median of 3 runs, against the target p99 < 20 ms. Each dialect
// runs in its own Node process pinned to one core (taskset); PostgreSQL's own
// processes are not pinned. See bench/search/README.md.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reachable, redact } from '../support/postgres.js';

const TARGET_P99_MS = 20;
const log = (line = '') => process.stdout.write(`${line}\n`);
const args = parseArgs(process.argv.slice(2));
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

if (!fs.existsSync(path.join(repoRoot, 'packages/server/dist/help-center/search/article-search.js')))
  throw new Error('packages/server/dist has no ArticleSearch: run npm run build first.');

const pinned = spawnSync('taskset', ['-c', String(args.core), 'true']).status === 0;
const pgUrl = process.env.LUMIO_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
if (!['personalised', 'engine'].includes(args.path)) throw new Error('--path is personalised or engine');
args.limit ??= args.path === 'personalised' ? 20 : 40;
log(
  `bench:search — ${args.path === 'personalised' ? 'personalised widget search (HelpCenterReader.search)' : 'engine only (ArticleSearch.search)'}, ` +
    `${args.articles.toLocaleString('en')} articles, ${args.runs} runs × ${args.iterations} rounds of every query, limit ${args.limit}, ` +
    (pinned ? `pinned to core ${args.core}` : 'not pinned (no taskset)'),
);

const dialects = [];
for (const dialect of ['sqlite', 'postgres']) {
  if (args.only && args.only !== dialect) continue;
  if (dialect === 'postgres' && !(await reachable(pgUrl))) {
    log(`PostgreSQL skipped: ${redact(pgUrl)} is unreachable (set LUMIO_BENCH_DATABASE_URL).`);
    continue;
  }
  const command = [
    process.execPath,
    path.join(here, 'worker.js'),
    dialect,
    args.articles,
    args.runs,
    args.iterations,
    args.limit,
    pgUrl,
    args.path,
  ].map(String);
  const [bin, ...rest] = pinned ? ['taskset', '-c', String(args.core), ...command] : command;
  const child = spawnSync(bin, rest, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`the ${dialect} worker failed (status ${child.status})`);
  dialects.push(JSON.parse(child.stdout.trim().split('\n').at(-1)));
}
if (dialects.length === 0) process.exit(1);

const kinds = Object.keys(dialects[0].results);
const cell = (runs) => {
  const m = median(runs.map((r) => r.median));
  const p = median(runs.map((r) => r.p99));
  return { median: m, p99: p, text: `${m.toFixed(2).padStart(6)} ${p.toFixed(2).padStart(6)}` };
};
log();
log(`median and p99 in ms (median of ${args.runs} runs)`);
log(`${'query kind'.padEnd(18)}${dialects.map((d) => `${d.dialect.padStart(8)}: median    p99`).join('   ')}   queries`);
const summary = {};
for (const kind of kinds) {
  const cells = dialects.map((d) => cell(d.results[kind].runs));
  summary[kind] = Object.fromEntries(dialects.map((d, i) => [d.dialect, { median: cells[i].median, p99: cells[i].p99 }]));
  const queries = dialects[0].results[kind].queries.map((q) => `"${q}" (${dialects.map((d) => d.results[kind].hits[q]).join('/')})`);
  log(`${kind.padEnd(18)}${cells.map((c) => `${' '.repeat(9)}${c.text}`).join('   ')}   ${queries.join(', ')}`);
}
const overall = dialects.map((d) => cell(d.overall));
summary.overall = Object.fromEntries(dialects.map((d, i) => [d.dialect, { median: overall[i].median, p99: overall[i].p99 }]));
log(`${'overall'.padEnd(18)}${overall.map((c) => `${' '.repeat(9)}${c.text}`).join('   ')}`);
log('(queries: hits returned per dialect, at most the limit)');
log();
for (const [i, d] of dialects.entries()) {
  const p99 = overall[i].p99;
  const worst = Math.max(...kinds.map((k) => summary[k][d.dialect].p99));
  log(
    `${d.dialect}: overall p99 ${p99.toFixed(2)} ms, worst kind p99 ${worst.toFixed(2)} ms (target < ${TARGET_P99_MS} ms): ${worst < TARGET_P99_MS ? 'MET' : 'MISSED'}` +
      `; loaded in ${d.loadSeconds.toFixed(1)} s`,
  );
}

const resultsDir = path.join(repoRoot, 'bench/results');
fs.mkdirSync(resultsDir, { recursive: true });
const file = path.join(resultsDir, `search-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15).toLowerCase()}.json`);
fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, args, pinned, summary, dialects }, null, 2));
log(`written ${path.relative(repoRoot, file)}`);

function parseArgs(argv) {
  const out = { articles: 10_000, runs: 3, iterations: 50, limit: undefined, core: 1, only: undefined, path: 'personalised' };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (key === 'help') {
      log(
        'Usage: node bench/search/run.js [--articles 10000] [--runs 3] [--iterations 50] [--path personalised|engine] [--limit 20 (engine: 40)] [--core 1] [--only sqlite|postgres]',
      );
      process.exit(0);
    }
    if (!(key in out)) throw new Error(`unknown option ${argv[i]}`);
    out[key] = key === 'only' || key === 'path' ? argv[++i] : Number(argv[++i]);
  }
  return out;
}
