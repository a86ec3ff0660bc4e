// One dialect of bench:search, in its own (pinned) process: loads the generated
// articles through the compiled ArticleSearch, warms up, then times the typical
// queries and prints one JSON line. Started by run.js.
//
// `personalised` (the default) times what the widget's search runs: HelpCenterReader.search
// for a verified viewer with traits, an interest profile and "people like you" aggregates
// (collections, tags and some audiences on the articles), so ranking, the audience filter
// and the relevance model are all in the timing. `engine` times ArticleSearch.search alone.
import { generateArticles, QUERIES, topicOf } from './corpus.js';
import { helpStack, loadServer, openBenchDatabase } from '../support/help-stack.js';

const [dialect, articleCount, runs, iterations, limit, pgUrl, mode = 'personalised'] = process.argv.slice(2);
const progress = (line) => process.stderr.write(`  [${dialect}] ${line}\n`);

const { ArticleSearch } = await loadServer('help-center/search/article-search.js');
const { sql } = await import('kysely');

const { adapter, close } = await openBenchDatabase(dialect, { pgUrl, prefix: 'lumio-bench-search' });

try {
  const db = adapter.db;
  const search = new ArticleSearch({ db, adapter });
  const workspaceId = 'ws_bench';
  const now = Date.now();
  await db.insertInto('workspaces').values({ id: workspaceId, name: 'Bench', created_at: now }).execute();
  const personalised = mode === 'personalised';
  if (personalised) {
    const names = [...new Set(Array.from({ length: 10 }, (_, i) => topicOf(i)))];
    await db
      .insertInto('collections')
      .values(
        names.map((slug, position) => ({
          id: `col_${slug}`,
          workspace_id: workspaceId,
          name: slug,
          slug,
          description: '',
          position,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  }

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
          collection_id: personalised ? `col_${topicOf(i)}` : null,
          title: a.title,
          slug: `article-${i}`,
          body_markdown: a.markdown,
          body_html: a.html,
          excerpt: a.markdown.slice(0, 200),
          position: i,
          // One in ten is a draft: searched past, never returned.
          status: i % 10 === 9 ? 'draft' : 'published',
          // One in twenty written for a plan (the viewer's: it passes the filter and lifts the article).
          audience: personalised && i % 20 === 3 ? adapter.json({ condition: { plan: 'pro' }, properties: 'all' }) : null,
          tags: personalised ? adapter.json([`${topicOf(i)}-${i % 7}`, `level-${i % 3}`]) : null,
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

  // The viewer and what relevance reads of them: traits, interest rows, peer aggregates (built by the real rebuild from 60 people's votes).
  const session = { state: 'verified', userId: 'viewer', anonymousId: 'anon-viewer' };
  let searchOnce = (q) => search.search(workspaceId, q, { limit: Number(limit) });
  if (personalised) {
    const { reader, peers } = await helpStack(adapter, now);
    const user = (userId) => ({
      workspace_id: workspaceId,
      user_id: userId,
      name: null,
      email: null,
      birthday: null,
      gender: null,
      properties: adapter.json({ plan: 'pro', role: 'admin', company: 'acme' }),
      sources: adapter.json({}),
      trust: 'verified',
      created_at: now,
      updated_at: now,
      last_seen_at: now,
    });
    await db
      .insertInto('users')
      .values([user('viewer'), ...Array.from({ length: 60 }, (_, p) => user(`peer-${p}`))])
      .execute();
    const topics = ['billing', 'integrations', 'billing-2', 'data', 'level-1', 'security-4'];
    await db
      .insertInto('interest_scores')
      .values(
        topics.map((topic, k) => ({
          workspace_id: workspaceId,
          viewer: 'v:viewer',
          topic,
          score: 2 + 3 * k,
          updated_at: now,
          views: k + 1,
        })),
      )
      .execute();
    const votes = [];
    for (let p = 0; p < 60; p++)
      for (let v = 0; v < 30; v++)
        votes.push({
          workspace_id: workspaceId,
          viewer: `v:peer-${p}`,
          article_id: `art_${String((p * 37 + v * 101) % Number(articleCount)).padStart(6, '0')}`,
          helpful: 1,
          at: now,
        });
    for (let i = 0; i < votes.length; i += 500)
      await db
        .insertInto('article_feedback')
        .values(votes.slice(i, i + 500))
        .onConflict((oc) => oc.doNothing())
        .execute();
    const { rows } = await peers.rebuild(workspaceId);
    progress(`personalised path: viewer with ${topics.length} interests, ${rows} peer aggregates`);
    searchOnce = (q) => reader.search(workspaceId, session, q, { limit: Number(limit) });
  }

  const kinds = Object.entries(QUERIES);
  const results = {};
  for (const [kind, queries] of kinds) {
    results[kind] = { queries, hits: {}, runs: [] };
    for (const q of queries) results[kind].hits[q] = (await searchOnce(q)).length;
  }
  // Warm-up: every query 30 times, not measured.
  for (let i = 0; i < 30; i++) for (const [, queries] of kinds) for (const q of queries) await searchOnce(q);

  const overall = [];
  for (let run = 0; run < Number(runs); run++) {
    const times = Object.fromEntries(kinds.map(([kind]) => [kind, []]));
    // Round-robin over all queries so that no kind profits from a warm cache of its own.
    for (let i = 0; i < Number(iterations); i++)
      for (const [kind, queries] of kinds)
        for (const q of queries) {
          const t = performance.now();
          await searchOnce(q);
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
  process.stdout.write(`${JSON.stringify({ dialect, mode, articles: articleTotal, loadSeconds, results, overall })}\n`);
} finally {
  await close();
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { count: sorted.length, median: at(0.5), p99: at(0.99), max: sorted.at(-1) };
}
