// npm run bench:dashboard [-- --sizes 1000000,10000000 --loads 5]
//
// How long each main page of the dashboard takes to show its first data,
// against the analytics benchmark's seeded SQLite databases (1M and 10M
// events; `npm run bench:analytics` seeds and caches them): a real `lumio
// start` pinned to core 0, Chromium (playwright-core, Debian's build) pinned
// to core 1, signed in as an owner of the seeded workspace (to which it adds,
// once, what the analytics seed lacks: help-center articles, segments and API
// keys; see CONTENT). Each page is
// loaded once to warm up, then `--loads` times, two ways: a full page load
// (from another dashboard page, the JavaScript from the browser's cache, as
// for a returning user) and an in-app navigation (the sidebar link, as while
// working). The time is from navigation to the page's data on screen (its
// table's first row, or the analytics figures). Target (issue #7): under 1 s
// at 1M. Prints medians and maxima and writes bench/results/dashboard-<time>.json.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startLumio } from '../identify/lumio-server.js';
import { stopGroup } from '../identify/processes.js';
import { load, openDatabase } from '../analytics/seeder.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const args = { sizes: '1000000,10000000', loads: '5', 'cache-dir': '/tmp/lumio-bench-analytics', seed: '1' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const key = argv[i].replace(/^--/, '');
  if (!(key in args)) throw new Error(`unknown option ${argv[i]} (options: ${Object.keys(args).join(', ')})`);
  args[key] = argv[i + 1];
}
// Chromium inherits this process's core: run ourselves on core 1 (the server gets core 0).
if (!process.env.LUMIO_BENCH_PINNED && spawnSync('taskset', ['-V']).status === 0) {
  const run = spawnSync('taskset', ['-c', '1', process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, LUMIO_BENCH_PINNED: '1' },
  });
  process.exit(run.status ?? 1);
}

const OWNER = { email: 'bench-owner@example.com', password: 'bench owner password' };
const PAGES = [
  ['widgets', 'widgets', 'main table tbody tr', 'Widgets'],
  ['announcements', 'announcements', 'main table tbody tr', 'Announcements'],
  ['segments', 'segments', 'main table tbody tr', 'Segments'],
  ['help center', 'help', 'main table tbody tr', 'Help center'],
  ['users', 'users', 'main table tbody tr', 'Users'],
  ['analytics (30-day series)', 'analytics', '.analytics-totals', 'Analytics'],
  ['audit log', 'audit-log', 'main table tbody tr', 'Audit log'],
  ['team', 'team', 'main table tbody tr', 'Team'],
  ['api keys', 'api-keys', 'main table tbody tr', 'API keys'],
];
/** Help-center content, segments and API keys the analytics seed has none of: 10 collections of 40 articles, 12 segments, 3 keys. */
const CONTENT = { collections: 10, articlesPerCollection: 40, segments: 12, apiKeys: 3 };
const log = (line = '') => process.stdout.write(`${line}\n`);
const label = (size) => (size % 1_000_000 === 0 ? `${size / 1_000_000}m` : String(size));
const cacheDir = args['cache-dir'];
const masterKeyFile = path.join(cacheDir, 'master.key');
if (!fs.existsSync(masterKeyFile))
  throw new Error(`no seeded databases in ${cacheDir}: run npm run bench:analytics -- --only sqlite first`);
const masterKey = fs.readFileSync(masterKeyFile, 'utf8').trim();

/** Makes the benchmark's owner account a member (owner) of the seeded workspace, once. */
async function ensureOwner(dataDir, workspaceId) {
  const { adapter, deps } = await openDatabase({ dataDir, masterKey });
  try {
    const { AccountsService } = await load('accounts/accounts-service.js');
    const accounts = new AccountsService(deps);
    let account = await deps.db.selectFrom('accounts').select('id').where('email', '=', OWNER.email).executeTakeFirst();
    if (!account) account = await accounts.create(OWNER);
    await deps.db
      .insertInto('members')
      .values({ workspace_id: workspaceId, account_id: account.id, role: 'owner', created_at: Date.now() })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await ensureContent(deps, workspaceId, { type: 'account', id: account.id, ip: null });
  } finally {
    await deps.markdown.close();
    await adapter.destroy();
  }
}

/** Adds {@link CONTENT} through the server's own services (an import, as a team would), once. */
async function ensureContent(deps, workspaceId, actor) {
  const { AuditLog } = await load('audit/audit-log.js');
  const { SegmentsService } = await load('segments/segments-service.js');
  const { HelpCenterService } = await load('help-center/help-center-service.js');
  const { ArticleSearch } = await load('help-center/search/article-search.js');
  const { ApiKeysService } = await load('api-keys/api-keys-service.js');
  const audit = new AuditLog(deps);
  const nothing = async () => {};
  const segments = new SegmentsService(deps, audit, nothing);
  const has = async (table) =>
    (await deps.db.selectFrom(table).select('id').where('workspace_id', '=', workspaceId).executeTakeFirst()) !== undefined;
  if (!(await has('collections'))) {
    const files = [];
    for (let c = 0; c < CONTENT.collections; c++) {
      files.push({ path: `topic-${c}/_collection.md`, content: `---\nname: Topic ${c}\nposition: ${c}\n---\nAbout topic ${c}.\n` });
      for (let a = 0; a < CONTENT.articlesPerCollection; a++) {
        const body = Array.from({ length: 30 }, (_, i) => `Step ${i + 1}: open **Settings** and choose option ${a}-${i}.`).join('\n\n');
        files.push({
          path: `topic-${c}/article-${c}-${a}.md`,
          content: `---\ntitle: How to do task ${a} of topic ${c}\nstatus: ${a % 4 === 0 ? 'draft' : 'published'}\nposition: ${a}\n---\n${body}\n`,
        });
      }
    }
    await new HelpCenterService(deps, audit, segments, nothing, new ArticleSearch(deps)).importFiles(workspaceId, files, actor);
  }
  if (!(await has('segments'))) {
    for (let i = 0; i < CONTENT.segments; i++)
      await segments.create(workspaceId, { name: `Segment ${i}`, condition: { plan: i % 2 === 0 ? 'pro' : 'free', role: 'admin' } }, actor);
  }
  if (!(await has('api_keys'))) {
    const keys = new ApiKeysService(deps, audit);
    for (let i = 0; i < CONTENT.apiKeys; i++) await keys.create(workspaceId, `Sync ${i}`, actor);
  }
}

async function measure(size) {
  const name = `sqlite-${label(size)}-s${args.seed}`;
  const metaFile = path.join(cacheDir, `${name}.json`);
  if (!fs.existsSync(metaFile)) throw new Error(`${metaFile} missing: run npm run bench:analytics -- --only sqlite --sizes ${size} first`);
  const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
  const dataDir = path.join(cacheDir, name);
  await ensureOwner(dataDir, meta.workspaceId);
  process.env.LUMIO_DEMO = 'false';
  const logFile = path.join(cacheDir, `dashboard-${name}-server.log`);
  const server = await startLumio({ repoRoot, dataDir, masterKey, logFile, firstStart: false });
  const browser = await chromium.launch({
    executablePath: process.env.LUMIO_CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const login = await fetch(`${server.origin}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.origin },
      body: JSON.stringify(OWNER),
    });
    if (login.status !== 200) throw new Error(`sign-in answered ${login.status}: ${await login.text()}`);
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith('lumio_session='))
      ?.split(';')[0]
      ?.split('=');
    const context = await browser.newContext();
    await context.addCookies([{ name: cookie[0], value: cookie[1], url: server.origin }]);
    const page = await context.newPage();
    const rows = [];
    const home = `${server.origin}/app/account`;
    const median = (times) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
    for (const [title, route, selector, link] of PAGES) {
      const url = `${server.origin}/app/w/${meta.workspaceId}/${route}`;
      const full = [];
      const inApp = [];
      for (let i = 0; i <= Number(args.loads); i++) {
        // The warm-up may read a database the OS has not cached yet (10M events: 5.6 GB): give it longer.
        const timeout = i === 0 ? 180_000 : 30_000;
        // Full load: a new document of the dashboard (from another of its pages: the same renderer, as for a reload).
        await page.goto(home);
        let start = performance.now();
        await page.goto(url);
        await page.locator(selector).first().waitFor({ state: 'visible', timeout });
        if (i > 0) full.push(performance.now() - start);
        // In-app: from another page of the app through the sidebar.
        await page.goto(`${server.origin}/app/w/${meta.workspaceId}/widgets`);
        await page.locator('main h1').first().waitFor();
        if (route === 'widgets') await page.goto(`${server.origin}/app/w/${meta.workspaceId}/team`);
        start = performance.now();
        await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: link, exact: true }).click();
        await page.locator(selector).first().waitFor({ state: 'visible', timeout });
        if (i > 0) inApp.push(performance.now() - start);
      }
      rows.push({
        page: title,
        fullMedian: median(full),
        fullMax: Math.max(...full),
        inAppMedian: median(inApp),
        inAppMax: Math.max(...inApp),
      });
    }
    return rows;
  } finally {
    await browser.close();
    await stopGroup(server.child, 20_000);
  }
}

const results = {};
for (const size of args.sizes.split(',').map(Number)) {
  log(`dashboard pages on the seeded SQLite database of ${label(size)} events (server core 0, Chromium core 1)`);
  results[label(size)] = await measure(size);
  log(`  ${'page'.padEnd(28)} full load median / max ms   in-app median / max ms`);
  for (const row of results[label(size)])
    log(
      `  ${row.page.padEnd(28)} ${row.fullMedian.toFixed(0).padStart(10)} / ${row.fullMax.toFixed(0).padEnd(12)} ${row.inAppMedian.toFixed(0).padStart(8)} / ${row.inAppMax.toFixed(0)}`,
    );
}
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', 't');
const out = path.join(repoRoot, 'bench/results', `dashboard-${stamp}.json`);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), loads: Number(args.loads), results }, null, 2)}\n`);
log(`written ${path.relative(repoRoot, out)}`);
