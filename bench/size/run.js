// npm run bench:size [-- --help]
//
// Size of the Lumio browser bundles a page downloads — the loader (the snippet), widget.js (the SDK with the
// widget UI, what a page gets) and the SDK core alone (no UI) — raw, gzip (level 9) and brotli (quality 11),
// judged against their gzip budgets, and next to the bundles
// peers ship for a script tag, which are the SDK-equivalent part of their product: posthog-js
// dist/array.js and the @segment/analytics-next standalone bundle. Peers come from their npm tarballs
// (npm pack, cached in bench/size/.cache/). A missed budget is reported, not failed: exit 1 only on an error.
// See bench/size/README.md.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { DASHBOARD_FIRST_PAGE_BUDGET, dashboardFirstPages } from './dashboard-size.js';

// Peer versions (latest on npm when pinned: `npm view <name> version`); bump deliberately.
const POSTHOG_VERSION = '1.449.2';
const SEGMENT_VERSION = '1.84.3';
const PEERS = [
  // array.js: the full SDK for the <script> snippet, without the lazily loaded extensions (recorder, surveys…).
  { name: 'posthog-js array.js', pkg: 'posthog-js', version: POSTHOG_VERSION, file: 'dist/array.js' },
  // dist/umd/standalone.js: minified, no UMD wrapper; it picks up the snippet's window.analytics queue and is what
  // the CDN serves as analytics.min.js. (dist/umd/index.js is the UMD library build exporting AnalyticsNext.)
  {
    name: '@segment/analytics-next standalone.js',
    pkg: '@segment/analytics-next',
    version: SEGMENT_VERSION,
    file: 'dist/umd/standalone.js',
  },
];
const OURS = [
  { name: 'Lumio loader', file: 'packages/sdk/bundles/lumio-loader.min.js', budget: 1024 },
  { name: 'Lumio SDK core', file: 'packages/sdk/bundles/lumio-sdk.min.js', budget: 8192 },
  { name: 'Lumio widget.js (SDK + UI)', file: 'packages/widget/bundles/lumio-widget.min.js', budget: 30720 },
];
// The bundles come from two workspaces; each is built by its own script.
const BUILDERS = ['@lumio/sdk', '@lumio/widget'];

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cacheDir = path.join(repoRoot, 'bench/size/.cache');
const resultsDir = path.join(repoRoot, 'bench/results');
const log = (line = '') => process.stdout.write(`${line}\n`);

const USAGE = `Usage: node bench/size/run.js [--help]

Measures the Lumio loader, widget.js (SDK + UI) and SDK core bundles (raw, gzip -9, brotli -q 11)
against their gzip budgets (loader ≤ 1024 B, SDK core ≤ 8192 B, widget.js ≤ 30720 B) and beside
peers' script-tag bundles:
${PEERS.map((p) => `  ${p.pkg}@${p.version} ${p.file}`).join('\n')}
Builds missing bundles with \`npm run bundle -w @lumio/sdk\` and \`-w @lumio/widget\` (the latter
bundles the compiled SDK: \`npm run build\` does all of it). Peers are fetched with
npm pack into bench/size/.cache/ (reused when present). Writes bench/results/size-<timestamp>.json.
Exit code 0 even when a budget is missed; 1 on an error.`;

function ensureBundles() {
  if (OURS.every((b) => fs.existsSync(path.join(repoRoot, b.file)))) return;
  for (const workspace of BUILDERS) {
    log(`Bundles missing: running npm run bundle -w ${workspace}`);
    const run = spawnSync('npm', ['run', 'bundle', '-w', workspace], { cwd: repoRoot, stdio: 'inherit' });
    if (run.error) throw new Error(`could not run npm run bundle -w ${workspace}: ${run.error.message}`);
    if (run.status !== 0) throw new Error(`npm run bundle -w ${workspace} failed (exit ${run.status ?? run.signal})`);
  }
  const missing = OURS.filter((b) => !fs.existsSync(path.join(repoRoot, b.file))).map((b) => b.file);
  if (missing.length) throw new Error(`still missing after npm run bundle: ${missing.join(', ')}`);
}

// Returns the path of the peer's file, fetching and extracting its tarball into the cache when needed.
function peerFile(peer) {
  const base = `${peer.pkg.replace(/^@/, '').replace('/', '-')}-${peer.version}`;
  const target = path.join(cacheDir, base, 'package', peer.file);
  if (fs.existsSync(target)) return target;
  const tarball = path.join(cacheDir, `${base}.tgz`);
  const quiet = { cwd: cacheDir, stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 };
  fs.mkdirSync(cacheDir, { recursive: true });
  if (!fs.existsSync(tarball)) execFileSync('npm', ['pack', `${peer.pkg}@${peer.version}`, '--pack-destination', cacheDir], quiet);
  if (!fs.existsSync(tarball)) throw new Error(`npm pack did not write ${path.relative(repoRoot, tarball)}`);
  fs.mkdirSync(path.join(cacheDir, base), { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', path.join(cacheDir, base), `package/${peer.file}`], quiet);
  if (!fs.existsSync(target)) throw new Error(`${peer.file} not found in ${path.basename(tarball)}`);
  return target;
}

function measure(file) {
  const bytes = fs.readFileSync(file);
  return {
    raw: bytes.length,
    gzip: zlib.gzipSync(bytes, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

// The telling lines of an npm or tar failure (npm error code, the FetchError or 404), else the message.
function errorText(err) {
  const lines = (err.stderr?.toString() ?? '').split('\n').map((l) => l.replace(/^npm error\s*/, '').trim());
  const told = lines.filter((l) => /^code \w|Error:|404|tar:/.test(l) && !/^\s*at /.test(l)).slice(0, 2);
  return told.length ? told.join('; ') : err.message;
}

const gitCommit = () => spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).stdout?.trim() || 'unknown';

function main(args) {
  if (args.includes('--help') || args.includes('-h')) return log(USAGE);
  if (args.length) throw new Error(`unknown argument(s): ${args.join(' ')} (see --help)`);
  const startedAt = new Date();
  const commit = gitCommit();
  ensureBundles();
  const rows = OURS.map((b) => {
    const size = measure(path.join(repoRoot, b.file));
    return { kind: 'lumio', name: b.name, file: b.file, ...size, budgetGzip: b.budget, result: size.gzip <= b.budget ? 'PASS' : 'MISS' };
  });
  const skipped = [];
  for (const peer of PEERS) {
    try {
      const size = measure(peerFile(peer));
      rows.push({ kind: 'peer', name: peer.name, file: `${peer.pkg}@${peer.version}/${peer.file}`, ...size });
    } catch (err) {
      skipped.push({ name: peer.name, package: `${peer.pkg}@${peer.version}`, reason: errorText(err) });
      log(`peer ${peer.pkg}@${peer.version} could not be fetched or read (offline?), skipped: ${skipped.at(-1).reason}`);
    }
  }

  const n = (v) => v.toLocaleString('en-US');
  const header = ['name', 'file', 'raw', 'gzip', 'brotli', 'budget', 'result'];
  const fmt = (r) => [r.name, r.file, n(r.raw), n(r.gzip), n(r.brotli), r.budgetGzip ? `≤ ${n(r.budgetGzip)}` : '', r.result ?? ''];
  const cells = rows.map(fmt);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const pad = (v, i) => (i >= 2 && i <= 5 ? v.padStart(widths[i]) : v.padEnd(widths[i])); // numbers right-aligned
  const line = (c) => c.map(pad).join('  ').trimEnd();
  log(`\nLumio bundle sizes, bytes (gzip level 9, brotli quality 11; budgets are gzip) — ${startedAt.toISOString()}, commit ${commit}`);
  log(line(header));
  for (const c of cells) log(line(c));

  const ratios = [];
  const round = (x) => Math.round(x * 10000) / 10000;
  for (const ours of rows.filter((r) => r.kind === 'lumio')) {
    for (const peer of rows.filter((r) => r.kind === 'peer')) {
      const ratio = { ours: ours.name, peer: peer.name, gzip: round(ours.gzip / peer.gzip), brotli: round(ours.brotli / peer.brotli) };
      ratios.push(ratio);
      if (ours.name !== 'Lumio loader') log(`${ours.name} gzip ÷ ${peer.name} gzip = ${ratio.gzip.toFixed(2)}`);
    }
  }
  // The dashboard: each page's first JavaScript (shell + the page's chunk), largest first.
  const dashboard = dashboardFirstPages(path.join(repoRoot, 'packages/dashboard/dist'));
  if (!dashboard) log('\ndashboard not built (npm run build): its first-page sizes are skipped');
  else {
    log(`\nDashboard first-page JavaScript (shell + the page's chunks, gzip -9; budget ≤ ${n(DASHBOARD_FIRST_PAGE_BUDGET)} each)`);
    const width = Math.max(...dashboard.map((d) => d.page.length));
    for (const d of dashboard)
      log(`${d.page.padEnd(width)}  ${String(d.files).padStart(3)} files  ${n(d.raw).padStart(10)} raw  ${n(d.gzip).padStart(9)} gzip`);
    const worst = dashboard[0];
    const result = worst && worst.gzip > DASHBOARD_FIRST_PAGE_BUDGET ? 'MISS' : 'PASS';
    rows.push({
      kind: 'lumio',
      name: 'Dashboard largest first page',
      file: worst?.page ?? '',
      raw: worst?.raw ?? 0,
      gzip: worst?.gzip ?? 0,
      brotli: 0,
      budgetGzip: DASHBOARD_FIRST_PAGE_BUDGET,
      result,
    });
  }
  const missed = rows.filter((r) => r.result === 'MISS');
  log(missed.length ? `budget missed: ${missed.map((r) => r.name).join(', ')} (reported, not failed)` : 'all budgets met');

  const stamp = startedAt.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', 't');
  const out = path.join(resultsDir, `size-${stamp}.json`);
  fs.mkdirSync(resultsDir, { recursive: true });
  const settings = { gzipLevel: 9, brotliQuality: 11, node: process.version };
  fs.writeFileSync(
    out,
    `${JSON.stringify({ date: startedAt.toISOString(), commit, settings, files: rows, dashboard, skipped, ratios }, null, 2)}\n`,
  );
  log(`written ${path.relative(repoRoot, out)}`);
}

try {
  main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`bench:size: ${err.message}\n`);
  process.exit(1);
}
