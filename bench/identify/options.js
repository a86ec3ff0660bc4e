import { parseArgs } from 'node:util';

const USAGE = `usage: npm run bench:identify -- [options]
  --runs N            measured runs per case (default 3; the median is reported)
  --duration S        seconds per measured run (default 8)
  --warmup S          seconds of discarded warm-up per case (default 3)
  --connections N     concurrent connections (default 50)
  --only DB           sqlite or postgres (default: both; with --nodes: postgres)
  --case CASE         repeat or first-time (default: both)
  --nodes N           PostgreSQL only: measure one Lumio node, then N nodes on one
                      database with the connections spread round-robin over their ports,
                      and print both side by side (default 1: the usual benchmark). No
                      floor nor references; refused with SQLite and with --crash. Each
                      node gets a core while one is left for the load generator; else
                      (2 nodes on 2 cores) node i is on core i mod cores, load generator unpinned
  --crash             instead of measuring: kill -9 the server mid-run, restart it and
                      check every acknowledged write survived (default: SQLite only)
  --wait-quiet S      before each run, wait up to S seconds for other processes to go
                      idle (default 60; 0 to not wait)
  --busy-retries N    redo a run during which other processes were busy, up to N times (default 2)
  --budget S          stop waiting and redoing runs after S seconds in all (default 300)
  --profile           run the Lumio server under node --cpu-prof and print its hottest frames
  --no-references     skip the two Fastify references (bare, and with Lumio's route stack)
                      measured beside the floor in the repeat case
  --pg-admin-url URL  PostgreSQL to create the benchmark database in
                      (default postgres://postgres@127.0.0.1:5432/postgres, or LUMIO_BENCH_PG_URL)
  --pg-database NAME  benchmark database, dropped and recreated (default lumio_bench)`;

/** Reads and checks the command-line flags; exits with the usage on a mistake. */
export function parseOptions(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        runs: { type: 'string', default: '3' },
        duration: { type: 'string', default: '8' },
        warmup: { type: 'string', default: '3' },
        connections: { type: 'string', default: '50' },
        only: { type: 'string' },
        case: { type: 'string' },
        nodes: { type: 'string', default: '1' },
        crash: { type: 'boolean', default: false },
        profile: { type: 'boolean', default: false },
        'no-references': { type: 'boolean', default: false },
        'wait-quiet': { type: 'string', default: '60' },
        'busy-retries': { type: 'string', default: '2' },
        budget: { type: 'string', default: '300' },
        'pg-admin-url': { type: 'string', default: process.env.LUMIO_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
        'pg-database': { type: 'string', default: 'lumio_bench' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    fail(error.message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const whole = (name, min, max) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
  if (values.only !== undefined && !['sqlite', 'postgres'].includes(values.only)) fail('--only must be sqlite or postgres');
  if (values.case !== undefined && !['repeat', 'first-time'].includes(values.case)) fail('--case must be repeat or first-time');
  if (!/^[a-z_][a-z0-9_]*$/.test(values['pg-database'])) fail('--pg-database must be a plain lowercase identifier');
  const nodes = whole('nodes', 1, 16);
  const connections = whole('connections', 1, 1000);
  if (nodes > 1) {
    // SQLite is an embedded database: one process owns the file, so there is
    // no second node to add.
    if (values.only === 'sqlite')
      fail("--nodes needs PostgreSQL: SQLite is one process's embedded database, so Lumio on SQLite runs as a single node");
    if (values.crash) fail('--crash kills and restarts one server; it does not combine with --nodes');
    if (connections < nodes) fail('--connections must be at least --nodes (every node gets its share of the connections)');
  }
  const databases = values.only ? [values.only] : values.crash ? ['sqlite'] : nodes > 1 ? ['postgres'] : ['sqlite', 'postgres'];
  return {
    runs: whole('runs', 1, 25),
    duration: whole('duration', 1, 600),
    warmup: whole('warmup', 1, 120),
    connections,
    nodes,
    waitQuiet: whole('wait-quiet', 0, 3600),
    busyRetries: whole('busy-retries', 0, 10),
    budget: whole('budget', 0, 86400),
    databases,
    cases: values.case ? [values.case] : ['repeat', 'first-time'],
    crash: values.crash,
    profile: values.profile,
    references: !values['no-references'],
    pgAdminUrl: values['pg-admin-url'],
    pgDatabase: values['pg-database'],
  };
}

function fail(message) {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}
