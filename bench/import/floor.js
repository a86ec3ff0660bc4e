// node bench/import/floor.js sqlite|postgres <database file or URL> <workspace id> <csv file>
//
// The storage floor of an import: the same users as the benchmark's CSV,
// stored with the statements the import itself runs (users/import/
// import-batch-writer.ts: on SQLite a prepared single-row insert per user, on
// PostgreSQL one `unnest` insert per 1,000 users), 1,000 per transaction, and
// nothing else: no HTTP, no CSV parsing, no checks. The rows are read, checked
// and merged with Lumio's own compiled code first, untimed. No import on this
// machine can be faster than this figure; run.js reports it beside the
// imports. Prints one JSON line: { rows, ms }.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [database, target, workspaceId, csvFile] = process.argv.slice(2);
const dist = fileURLToPath(new URL('../../packages/server/dist/', import.meta.url));
const load = (file) => import(pathToFileURL(path.join(dist, file)).href);
const { csvRows } = await load('users/import/csv-rows.js');
const { validateImportRow, isRowError } = await load('users/import/import-row.js');
const { mergeProfile, emptyProfile } = await load('users/profile-merge.js');
const { USER_COLUMNS } = await load('users/users-store.js');

const BATCH = 1000;
const now = Date.now();
const users = new Map();
for await (const items of csvRows(fs.createReadStream(csvFile), 1 << 20)) {
  for (const item of items) {
    const row = 'code' in item ? item : validateImportRow(item.line, item.input);
    if (isRowError(row)) throw new Error(`line ${row.line}: ${row.message}`);
    const base = users.get(row.userId) ?? emptyProfile();
    users.set(row.userId, mergeProfile(base, { traits: row.traits, properties: row.properties }, 'trusted').profile);
  }
}
const params = [...users].map(([userId, p]) => [
  workspaceId,
  userId,
  p.name,
  p.email,
  p.birthday,
  p.gender,
  JSON.stringify(p.properties),
  JSON.stringify(p.sources),
  'identified',
  now,
  now,
  null,
]);
const columns = USER_COLUMNS.join(', ');
let ms;
if (database === 'sqlite') {
  const { default: SQLite } = await import('better-sqlite3');
  const db = new SQLite(target);
  // The server's own settings for its writing connection (db/dialects/sqlite-dialect.ts).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -65536');
  const insert = db.prepare(
    `insert into users (${columns}) values (${USER_COLUMNS.map(() => '?').join(', ')}) on conflict (workspace_id, user_id) do nothing`,
  );
  const batch = db.transaction((rows) => {
    for (const row of rows) insert.run(row);
  });
  const started = performance.now();
  for (let i = 0; i < params.length; i += BATCH) batch(params.slice(i, i + BATCH));
  ms = performance.now() - started;
  db.close();
} else {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  const types = ['text', 'text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'text', 'bigint', 'bigint', 'bigint'];
  const text =
    `insert into users (${columns}) select $1, * from unnest(${types.map((t, i) => `$${i + 2}::${t}[]`).join(', ')}) ` +
    `on conflict (workspace_id, user_id) do nothing returning user_id`;
  const started = performance.now();
  for (let i = 0; i < params.length; i += BATCH) {
    const rows = params.slice(i, i + BATCH);
    await client.query('begin');
    await client.query(text, [workspaceId, ...types.map((_, c) => rows.map((row) => row[c + 1]))]);
    await client.query('commit');
  }
  ms = performance.now() - started;
  await client.end();
}
process.stdout.write(`${JSON.stringify({ rows: params.length, ms })}\n`);
