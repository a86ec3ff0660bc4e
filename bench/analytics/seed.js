// npm run seed:analytics -- --events 10000000 [--data-dir DIR | --database-url postgres://… [--schema NAME]] [--workspace ID] [--seed 1]
//
// Fills a Lumio database with realistic analytics events over the last 90
// days (see population.js), written through the compiled server's
// EventSnapshots + EventStore (npm run build first), then ANALYZE (SQLite) or
// VACUUM ANALYZE (PostgreSQL). Without --data-dir or --database-url it uses
// what `lumio start` would (LUMIO_DATA_DIR / DATABASE_URL, default ./data), so
// the dashboard shows the seeded workspace. PostgreSQL needs LUMIO_MASTER_KEY,
// as the server does. See bench/analytics/README.md.
import { openDatabase, seedAnalytics } from './seeder.js';

const log = (line = '') => process.stdout.write(`${line}\n`);
const args = parseArgs(process.argv.slice(2));

const { adapter, deps } = await openDatabase({ dataDir: args['data-dir'], databaseUrl: args['database-url'], schema: args.schema });
try {
  const where = adapter.name === 'postgres' ? `PostgreSQL${args.schema ? ` (schema ${args.schema})` : ''}` : deps.config.dataDir;
  log(`seed:analytics — ${args.events.toLocaleString('en')} events, seed ${args.seed}, into ${where}`);
  const result = await seedAnalytics(deps, {
    events: args.events,
    seed: args.seed,
    workspaceId: args.workspace,
    batch: args.batch,
    streams: args.streams,
    ...(args.end ? { end: args.end } : {}),
    log: (line) => log(`  ${line}`),
  });
  log(
    `seeded ${result.events.toLocaleString('en')} events (${result.attributed.toLocaleString('en')} attributed after identify, ` +
      `${result.snapshots.toLocaleString('en')} snapshots) into workspace ${result.workspaceId} in ${result.eventSeconds.toFixed(1)} s: ` +
      `${Math.round(result.events / result.eventSeconds).toLocaleString('en')} events/s; ` +
      `${adapter.name === 'postgres' ? 'VACUUM ANALYZE' : 'ANALYZE'} ${result.analyzeSeconds.toFixed(1)} s; ${result.seconds.toFixed(1)} s in all`,
  );
  // run.js reads the last line.
  if (args.json) log(JSON.stringify(result));
} finally {
  await deps.markdown.close();
  await adapter.destroy();
}

function parseArgs(argv) {
  const out = {
    events: 1_000_000,
    seed: 1,
    batch: 10_000,
    streams: 3,
    end: undefined,
    workspace: undefined,
    schema: undefined,
    'data-dir': undefined,
    'database-url': undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (key === 'json') {
      out.json = true;
      continue;
    }
    if (key === 'help') {
      log(
        'Usage: node bench/analytics/seed.js [--events 1000000] [--seed 1] [--data-dir DIR | --database-url URL [--schema NAME]] [--workspace ID] [--batch 10000] [--streams 3 (PostgreSQL writers)] [--end ISO time or epoch ms, default now] [--json]',
      );
      process.exit(0);
    }
    if (!(key in out)) throw new Error(`unknown option ${argv[i]} (--help lists them)`);
    const value = argv[++i];
    if (value === undefined) throw new Error(`${argv[i - 1]} needs a value`);
    if (key === 'end') out.end = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
    else out[key] = ['events', 'seed', 'batch', 'streams'].includes(key) ? Number(value.replace(/_/g, '')) : value;
  }
  if (!Number.isSafeInteger(out.events) || out.events < 100) throw new Error('--events must be a whole number ≥ 100');
  if (out.end !== undefined && !Number.isSafeInteger(out.end)) throw new Error('--end must be an ISO time or epoch milliseconds');
  return out;
}
