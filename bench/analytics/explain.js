// node bench/analytics/explain.js --only sqlite|postgres [--size 10000000] [--seed 1] [--report demographics] [--pg-options '-c jit=off']
//
// The query plans behind bench:analytics' reports, on a database it seeded
// and cached: runs each report once on the last 30 days of the data, records
// the SQL it sends, and prints EXPLAIN (ANALYZE, BUFFERS) (PostgreSQL) or
// EXPLAIN QUERY PLAN with the statement's time (SQLite) for each statement.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { DAY_MS } from './population.js';
import { load, openDatabase } from './seeder.js';

const args = { only: 'sqlite', size: 10_000_000, seed: 1, report: undefined, 'cache-dir': '/tmp/lumio-bench-analytics', 'pg-options': '' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const key = argv[i].replace(/^--/, '');
  if (!(key in args)) throw new Error(`unknown option ${argv[i]}`);
  args[key] = ['size', 'seed'].includes(key) ? Number(argv[i + 1]) : argv[i + 1];
}
const label = args.size % 1_000_000 === 0 ? `${args.size / 1_000_000}m` : String(args.size);
const dialect = args.only;
const meta = JSON.parse(fs.readFileSync(path.join(args['cache-dir'], `${dialect}-${label}-s${args.seed}.json`), 'utf8'));
const masterKey = fs.readFileSync(path.join(args['cache-dir'], 'master.key'), 'utf8').trim();
const pgUrl = process.env.LUMIO_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

// Record every statement on its way to the driver.
const captured = [];
let recording = false;
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, values, callback) {
  if (recording && typeof config === 'string') captured.push({ text: config, values: Array.isArray(values) ? values : [] });
  else if (recording && config?.text) captured.push({ text: config.text, values: config.values ?? [] });
  return originalQuery.call(this, config, values, callback);
};
const originalPrepare = SQLite.prototype.prepare;
SQLite.prototype.prepare = function (source, ...rest) {
  const statement = originalPrepare.call(this, source, ...rest);
  if (!recording || !/^\s*(with|select)/i.test(source)) return statement;
  const wrap = (method) => {
    const original = statement[method].bind(statement);
    statement[method] = (...params) => {
      const t = performance.now();
      const result = original(...params);
      captured.push({ text: source, values: params.flat(), ms: performance.now() - t, connection: this });
      return result;
    };
  };
  wrap('all');
  wrap('get');
  return statement;
};

const where =
  dialect === 'postgres'
    ? { databaseUrl: pgUrl, schema: `lumio_bench_analytics_${label}_s${args.seed}`, masterKey }
    : { dataDir: path.join(args['cache-dir'], `sqlite-${label}-s${args.seed}`) };
const { adapter, deps } = await openDatabase(where);
const { createLogger } = await load('ops/create-logger.js');
const { createMetrics } = await load('ops/metrics.js');
const { AuditLog } = await load('audit/audit-log.js');
const { SegmentsService } = await load('segments/segments-service.js');
const { IdentityLog } = await load('identity/identity-log.js');
const { AnalyticsReports } = await load('analytics/reports/analytics-reports.js');
const fullDeps = { ...deps, logger: createLogger(deps.config), metrics: createMetrics({ defaultMetrics: false }) };
const audit = new AuditLog(fullDeps);
const reports = new AnalyticsReports(fullDeps, new SegmentsService(fullDeps, audit, async () => {}), new IdentityLog(fullDeps));
const to = Math.floor(meta.to / DAY_MS) * DAY_MS;
const w = { from: to - 30 * DAY_MS, to };
const ws = meta.workspaceId;
const condition = { plan: 'pro', role: 'admin' };
const cases = {
  series: () => reports.series(ws, { event: '$article_viewed', interval: 'day', ...w, condition }),
  'series-region': () => reports.series(ws, { event: '$article_viewed', interval: 'day', ...w, condition, breakdown: 'region' }),
  funnel: () => reports.funnel(ws, w),
  demographics: () => reports.demographics(ws, { ...w, attributes: ['plan'] }),
};
try {
  for (const [name, call] of Object.entries(cases)) {
    if (args.report && args.report !== name) continue;
    captured.length = 0;
    recording = true;
    const t = performance.now();
    await call();
    const ms = performance.now() - t;
    recording = false;
    console.log(`\n===== ${name} (${dialect} ${label.toUpperCase()}): ${ms.toFixed(0)} ms, ${captured.length} statement(s)`);
    for (const q of captured) {
      if (!/^\s*(with|select)/i.test(q.text)) continue;
      console.log(`--- ${q.text.replace(/\s+/g, ' ').slice(0, 400)}${q.ms !== undefined ? ` [${q.ms.toFixed(0)} ms]` : ''}`);
      if (dialect === 'postgres') {
        const client = new pg.Client({ connectionString: pgUrl, options: `-c search_path=${where.schema} ${args['pg-options']}` });
        await client.connect();
        const { rows } = await client.query(`explain (analyze, buffers) ${q.text}`, q.values);
        await client.end();
        console.log(rows.map((r) => r['QUERY PLAN']).join('\n'));
      } else {
        const plan = originalPrepare.call(q.connection, `explain query plan ${q.text}`).all(...q.values);
        console.log(plan.map((r) => `${'  '.repeat(depth(plan, r))}${r.detail}`).join('\n'));
      }
    }
  }
} finally {
  await adapter.destroy();
}

function depth(plan, row) {
  let d = 0;
  for (let parent = row.parent; parent; d++) parent = plan.find((r) => r.id === parent)?.parent;
  return d;
}
