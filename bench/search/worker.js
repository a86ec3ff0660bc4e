// One dialect of bench:search, in its own (pinned) process: loads the generated
// articles through the compiled ArticleSearch, warms up, then times the typical
// queries and prints one JSON line. Started by run.js.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateArticles, QUERIES } from './corpus.js';

const [dialect, articleCount, runs, iterations, limit, pgUrl] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '../../packages/server/dist');
const load = (file) => import(path.join(dist, file));
const progress = (line) => process.stderr.write(`  [${dialect}] ${line}\n`);

const { ArticleSearch } = await load('help-center/search/article-search.js');
const { migrateToLatest } = await load('db/migrate.js');
const { sql } = await import('kysely');

let adapter;
let cleanup;
if (dialect === 'sqlite') {
  const { createSqliteAdapter } = await load('db/dialects/sqlite-dialect.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-bench-search-'));
  adapter = createSqliteAdapter(path.join(dir, 'lumio.db'));
  cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
} else {
  const { createPostgresAdapter } = await load('db/dialects/postgres-dialect.js');
  const pg = (await import('pg')).default;
  const schema = `lumio_bench_search_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  adapter = createPostgresAdapter({ connectionString: pgUrl, schema, maxConnections: 4 });
  cleanup = async () => {
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  };
}

try {
  await migrateToLatest(adapter);
  const db = adapter.db;
  const search = new ArticleSearch({ db, adapter });
  const workspaceId = 'ws_bench';
  await db.insertInto('workspaces').values({ id: workspaceId, name: 'Bench', created_at: Date.now() }).execute();

  const started = performance.now();
  let articles = generateArticles(Number(articleCount));
  let words = 0;
  for (let batch = 0; batch < articles.length; batch += 500) {
    await db.transaction().execute(async (trx) => {
      for (let i = batch; i < Math.min(batch + 500, articles.length); i++) {
        const a = articles[i];
        words += a.markdown.split(' ').length;
        const now = Date.now();
        const row = {
          id: `art_${String(i).padStart(6, '0')}`,
          workspace_id: workspaceId,
          collection_id: null,
          title: a.title,
          slug: `article-${i}`,
          body_markdown: a.markdown,
          body_html: a.html,
          excerpt: a.markdown.slice(0, 200),
          position: i,
          // One in ten is a draft: searched past, never returned.
          status: i % 10 === 9 ? 'draft' : 'published',
          audience: null,
          author_id: null,
          created_at: now,
          updated_at: now,
          published_at: now,
        };
        await trx.insertInto('articles').values(row).execute();
        await search.index(trx, row);
      }
    });
  }
  const loadSeconds = (performance.now() - started) / 1000;
  const articleTotal = articles.length;
  // The generated text (tens of MB) would otherwise stay on the heap and slow every GC while timing.
  articles = null;
  // As autovacuum / the planner would have it after a while in production.
  if (dialect === 'postgres') await sql`vacuum analyze article_search, article_search_terms, articles`.execute(db);
  else await sql`analyze`.execute(db);
  progress(`${articleTotal} articles (${Math.round(words / articleTotal)} words on average) loaded in ${loadSeconds.toFixed(1)} s`);

  const kinds = Object.entries(QUERIES);
  const results = {};
  for (const [kind, queries] of kinds) {
    results[kind] = { queries, hits: {}, runs: [] };
    for (const q of queries) results[kind].hits[q] = (await search.search(workspaceId, q, { limit: Number(limit) })).length;
  }
  // Warm-up: every query 30 times, not measured.
  for (let i = 0; i < 30; i++)
    for (const [, queries] of kinds) for (const q of queries) await search.search(workspaceId, q, { limit: Number(limit) });

  const overall = [];
  for (let run = 0; run < Number(runs); run++) {
    const times = Object.fromEntries(kinds.map(([kind]) => [kind, []]));
    // Round-robin over all queries so that no kind profits from a warm cache of its own.
    for (let i = 0; i < Number(iterations); i++)
      for (const [kind, queries] of kinds)
        for (const q of queries) {
          const t = performance.now();
          await search.search(workspaceId, q, { limit: Number(limit) });
          times[kind].push(performance.now() - t);
        }
    const all = [];
    for (const [kind] of kinds) {
      results[kind].runs.push(stats(times[kind]));
      all.push(...times[kind]);
    }
    overall.push(stats(all));
    progress(`run ${run + 1}/${runs}: median ${overall.at(-1).median.toFixed(2)} ms, p99 ${overall.at(-1).p99.toFixed(2)} ms`);
  }
  process.stdout.write(`${JSON.stringify({ dialect, articles: articleTotal, loadSeconds, results, overall })}\n`);
} finally {
  await adapter.destroy();
  await cleanup();
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { count: sorted.length, median: at(0.5), p99: at(0.99), max: sorted.at(-1) };
}
