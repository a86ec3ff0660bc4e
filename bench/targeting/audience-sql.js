// node --enable-experimental-regexp-engine bench/targeting/audience-sql.js [--users N] [--runs N]
//
// Counting an audience in the database: conditionToSql over N generated users
// (default 100,000) in one workspace, on SQLite (a temp file) and on
// PostgreSQL when LUMIO_BENCH_DATABASE_URL is set (a throwaway schema). Each
// count runs once to warm up, then --runs times; the report gives the median,
// beside hand-written SQL for the same audience where there is one.
// Needs a build first (npm run build): it loads the server from dist/.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { createSqliteAdapter } from '../../packages/server/dist/db/dialects/sqlite-dialect.js';
import { createPostgresAdapter } from '../../packages/server/dist/db/dialects/postgres-dialect.js';
import { migrateToLatest } from '../../packages/server/dist/db/migrate.js';
import { conditionToSql } from '../../packages/server/dist/targeting/condition-sql.js';

const args = { users: 100_000, runs: 7 };
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = Number(process.argv[i + 1]);
const log = (line = '') => process.stdout.write(`${line}\n`);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const WORKSPACE = 'ws_bench';
const NOW = Date.UTC(2026, 10, 21, 12);

const AUDIENCES = [
  {
    name: 'plan + $in + seats range',
    condition: { plan: 'free', role: { $in: ['admin', 'owner'] }, seats: { $gte: 5, $lt: 100 } },
    handWritten: {
      sqlite: sql`properties ->> '$.plan' = 'free' AND properties ->> '$.role' IN ('admin', 'owner') AND properties ->> '$.seats' >= 5 AND properties ->> '$.seats' < 100`,
      postgres: sql`properties ->> 'plan' = 'free' AND properties ->> 'role' IN ('admin', 'owner') AND (properties ->> 'seats')::float8 >= 5 AND (properties ->> 'seats')::float8 < 100`,
    },
  },
  {
    name: '$regexi on email + $in',
    condition: { email: { $regexi: '@acme\\.com$' }, plan: { $in: ['pro', 'team'] } },
    handWritten: {
      sqlite: undefined,
      postgres: sql`email ~* '@acme\\.com$' AND properties ->> 'plan' IN ('pro', 'team')`,
    },
  },
];

function user(i, random) {
  const pick = (items) => items[Math.floor(random() * items.length)];
  const properties = { plan: pick(['free', 'free', 'pro', 'team']), role: pick(['admin', 'owner', 'member', 'member', 'viewer']) };
  if (random() < 0.9) properties.seats = Math.floor(random() * 200);
  if (random() < 0.5) properties.tags = ['beta', 'vip', 'eu'].filter(() => random() < 0.4);
  const sources = Object.fromEntries(Object.keys(properties).map((k) => [`properties.${k}`, pick(['trusted', 'claimed'])]));
  return {
    workspace_id: WORKSPACE,
    user_id: `user_${i}`,
    name: `User ${i}`,
    email: `user${i}@${pick(['acme.com', 'ACME.com', 'example.org', 'acme.co'])}`,
    birthday: null,
    gender: null,
    properties,
    sources: { ...sources, email: 'trusted', name: 'trusted' },
    trust: 'verified',
    created_at: NOW,
    updated_at: NOW,
    last_seen_at: NOW,
  };
}

async function bench(label, adapter) {
  await migrateToLatest(adapter);
  await adapter.db.insertInto('workspaces').values({ id: WORKSPACE, name: 'Bench', created_at: NOW }).execute();
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const started = performance.now();
  for (let start = 0; start < args.users; start += 2000) {
    const batch = [];
    for (let i = start; i < Math.min(args.users, start + 2000); i++) {
      const row = user(i, random);
      batch.push({ ...row, properties: adapter.json(row.properties), sources: adapter.json(row.sources) });
    }
    await adapter.db.insertInto('users').values(batch).execute();
  }
  log(`${label}: ${args.users.toLocaleString('en')} users inserted in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const time = async (where) => {
    const count = async () =>
      Number(
        (
          await adapter.db
            .selectFrom('users')
            .select(sql`count(*)`.as('n'))
            .where('workspace_id', '=', WORKSPACE)
            .where(where)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const audience = await count();
    const times = [];
    for (let r = 0; r < args.runs; r++) {
      const t = performance.now();
      await count();
      times.push(performance.now() - t);
    }
    return { audience, ms: median(times) };
  };
  for (const { name, condition, handWritten } of AUDIENCES) {
    const compiled = await time(conditionToSql(condition, { dialect: adapter.name, now: NOW }));
    const trusted = await time(conditionToSql(condition, { dialect: adapter.name, now: NOW, view: 'trusted' }));
    const reference = handWritten[adapter.name] ? await time(handWritten[adapter.name]) : undefined;
    log(
      `  ${name}: ${compiled.audience.toLocaleString('en')} users, ${compiled.ms.toFixed(1)} ms` +
        ` (view 'trusted': ${trusted.audience.toLocaleString('en')} users, ${trusted.ms.toFixed(1)} ms)` +
        (reference ? `; hand-written SQL ${reference.ms.toFixed(1)} ms (${reference.audience.toLocaleString('en')} users)` : ''),
    );
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-bench-sql-'));
const sqlite = createSqliteAdapter(path.join(dir, 'lumio.db'));
try {
  await bench('SQLite', sqlite);
} finally {
  await sqlite.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
}

const url = process.env.LUMIO_BENCH_DATABASE_URL;
if (!url) log('PostgreSQL: skipped (set LUMIO_BENCH_DATABASE_URL)');
else {
  const schema = `lumio_bench_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const postgres = createPostgresAdapter({ connectionString: url, schema, maxConnections: 2 });
  try {
    await bench('PostgreSQL', postgres);
  } finally {
    await postgres.destroy();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}
