// npm run bench:relevance [-- --seed 16 --articles 2400 --people 2000 --limit 20 --dialect sqlite|postgres --part all|search|without-query]
//
// How much better Lumio's per-viewer ranking finds what a person wants than
// text alone: builds a synthetic help center (help-center.js) and simulated
// people whose needs follow their traits and past activity (people.js) in a
// real Lumio database, hides each person's next wanted article, searches for
// it with a short query derived from it, and reports nDCG@5 and MRR of the
// search engine's order (audience-filtered, as before issue 16) against
// HelpCenterReader.search (the widget's search, personalised). Then, without a
// query (without-query.js): "Suggested for you", the wanted article's collection
// list and the collections' order, personalised against personalisation off.
// Deterministic: same seed, same figures. Not a timing benchmark. See
// bench/relevance/README.md.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '@lumio/targeting/test-support';
import { helpStack, loadServer, openBenchDatabase } from '../support/help-stack.js';
import { reachable, redact } from '../support/postgres.js';
import { generateHelpCenter } from './help-center.js';
import { generatePeople, NEED_MODEL } from './people.js';
import { describeWithoutQuery, measureWithoutQuery } from './without-query.js';

const TARGET_GAIN = 0.2;
const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 11, 1);
const log = (line = '') => process.stdout.write(`${line}\n`);
const args = parseArgs(process.argv.slice(2));
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

if (!fs.existsSync(path.join(repoRoot, 'packages/server/dist/relevance/help-relevance.js')))
  throw new Error('packages/server/dist has no relevance model: run npm run build first.');
const pgUrl = process.env.LUMIO_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
if (args.dialect === 'postgres' && !(await reachable(pgUrl)))
  throw new Error(`PostgreSQL is unreachable at ${redact(pgUrl)} (set LUMIO_BENCH_DATABASE_URL).`);

const { INTEREST_WEIGHTS, decayedScore, topicKey, DEFAULT_INTEREST_HALF_LIFE_DAYS } = await loadServer('interests/interest-math.js');
const { RELEVANCE_WEIGHTS, PEERS_MIN_PEOPLE } = await loadServer('relevance/relevance-model.js');
const { MAX_SUGGESTED, MAX_ARTICLES_PER_ANSWER } = await loadServer('help-center/help-center-reader.js');

log(`bench:relevance — seed ${args.seed}, ${args.articles} articles, ${args.people} people, ${args.dialect}, top ${args.limit}`);
const rng = seededRandom(args.seed);
const helpCenter = generateHelpCenter(rng, args.articles);
const people = generatePeople(rng, args.people, helpCenter);

const database = await openBenchDatabase(args.dialect, { pgUrl, prefix: 'lumio-bench-relevance' });
try {
  const { adapter } = database;
  const db = adapter.db;
  const { search, peers, reader } = await helpStack(adapter, NOW);
  const workspaceId = 'ws_relevance';
  await db.insertInto('workspaces').values({ id: workspaceId, name: 'Relevance', created_at: NOW }).execute();

  // The help center: rows as the editor stores them, indexed by the real search index.
  await db
    .insertInto('collections')
    .values(
      helpCenter.collections.map((c) => ({
        id: `col_${c.slug}`,
        workspace_id: workspaceId,
        name: c.name,
        slug: c.slug,
        description: '',
        position: c.position,
        created_at: NOW,
        updated_at: NOW,
      })),
    )
    .execute();
  const articleId = (a) => `art_${String(a.index).padStart(6, '0')}`;
  for (let batch = 0; batch < helpCenter.articles.length; batch += 500) {
    await db.transaction().execute(async (trx) => {
      for (const a of helpCenter.articles.slice(batch, batch + 500)) {
        const row = {
          id: articleId(a),
          workspace_id: workspaceId,
          collection_id: `col_${a.topic}`,
          title: a.title,
          slug: `article-${a.index}`,
          body_markdown: a.body,
          body_html: `<p>${a.body}</p>`,
          excerpt: a.body.slice(0, 200),
          position: a.position,
          status: 'published',
          audience: a.audience === null ? null : adapter.json({ condition: a.audience, properties: 'all' }),
          tags: adapter.json(a.tags),
          author_id: null,
          created_at: NOW,
          updated_at: NOW,
          published_at: NOW,
        };
        await trx.insertInto('articles').values(row).execute();
        await search.index(trx, row, a.body);
      }
    });
  }

  // The people: verified users with their traits, the interest profile their past wants left
  // (interest-math's weights and decay: there is no ingestion of interests on main yet), and
  // their helpful votes and saves (which feed the "people like you" aggregates).
  const interestRows = [];
  const feedback = [];
  const saves = [];
  for (const person of people) {
    const viewer = `v:${person.userId}`;
    const topics = new Map();
    for (const h of person.history) {
      const at = NOW - h.ageDays * DAY_MS;
      const kinds = [
        ['view', 'views'],
        ...(h.helpful ? [['helpfulVote', 'helpful_votes']] : []),
        ...(h.saved ? [['save', 'saves']] : []),
        ...(h.searchClick ? [['searchClick', 'search_clicks']] : []),
      ];
      for (const raw of [h.article.topic, ...h.article.tags]) {
        const topic = topicKey(raw);
        const row = topics.get(topic) ?? {
          workspace_id: workspaceId,
          viewer,
          topic,
          score: 0,
          updated_at: NOW,
          views: 0,
          saves: 0,
          helpful_votes: 0,
          search_clicks: 0,
          announcement_clicks: 0,
        };
        for (const [kind, counter] of kinds) {
          row.score += decayedScore(INTEREST_WEIGHTS[kind], at, NOW, DEFAULT_INTEREST_HALF_LIFE_DAYS);
          row[counter] += 1;
        }
        topics.set(topic, row);
      }
      if (h.helpful) feedback.push({ workspace_id: workspaceId, viewer, article_id: articleId(h.article), helpful: 1, at: Math.round(at) });
      if (h.saved) saves.push({ workspace_id: workspaceId, viewer, article_id: articleId(h.article), saved_at: Math.round(at) });
    }
    interestRows.push(...topics.values());
  }
  const users = people.map((p) => ({
    workspace_id: workspaceId,
    user_id: p.userId,
    name: null,
    email: null,
    birthday: null,
    gender: null,
    properties: adapter.json(p.attributes),
    sources: adapter.json({ 'properties.plan': 'trusted', 'properties.role': 'trusted' }),
    trust: 'verified',
    created_at: NOW,
    updated_at: NOW,
    last_seen_at: NOW,
  }));
  for (const [table, rows] of [
    ['users', users],
    ['interest_scores', interestRows],
    ['article_feedback', feedback],
    ['article_saves', saves],
  ])
    for (let i = 0; i < rows.length; i += 500)
      await db
        .insertInto(table)
        .values(rows.slice(i, i + 500))
        .execute();
  const { rows: peerRows } = await peers.rebuild(workspaceId);
  log(
    `built: ${helpCenter.articles.length} articles in ${helpCenter.collections.length} collections, ${people.length} people, ` +
      `${interestRows.length} interest rows, ${feedback.length} helpful votes, ${saves.length} saves, ${peerRows} peer aggregates (k = ${PEERS_MIN_PEOPLE})`,
  );

  // Part one: each person searches for their hidden next article.
  let searchResults = null;
  if (args.part !== 'without-query') {
    const limit = args.limit;
    const scores = { text: [], personalised: [] };
    const examples = [];
    for (const person of people) {
      const session = { state: 'verified', userId: person.userId, anonymousId: `anon-${person.userId}` };
      const wanted = articleId(person.next);
      // Text alone: the engine's order, audience-filtered (the widget's search before issue 16).
      const hits = await search.search(workspaceId, person.query, { limit: limit * 2 });
      const rows =
        hits.length === 0
          ? []
          : await db
              .selectFrom('articles')
              .select(['id', 'audience', 'updated_at'])
              .where(
                'id',
                'in',
                hits.map((h) => h.articleId),
              )
              .execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      const textOrder = (
        await reader.readable(
          workspaceId,
          session,
          hits.map((h) => byId.get(h.articleId)),
        )
      )
        .slice(0, limit)
        .map((r) => r.id);
      const personalOrder = (await reader.search(workspaceId, session, person.query, { limit })).map((a) => a.id);
      scores.text.push(rankOf(textOrder, wanted));
      scores.personalised.push(rankOf(personalOrder, wanted));
      if (examples.length < 5)
        examples.push({
          query: person.query,
          attributes: person.attributes,
          text: rankOf(textOrder, wanted),
          personalised: rankOf(personalOrder, wanted),
        });
    }

    const summary = Object.fromEntries(
      Object.entries(scores).map(([name, ranks]) => [
        name,
        {
          ndcg5: mean(ranks.map((r) => (r !== null && r <= 5 ? 1 / Math.log2(r + 1) : 0))),
          mrr: mean(ranks.map((r) => (r === null ? 0 : 1 / r))),
          found: ranks.filter((r) => r !== null).length / ranks.length,
          top1: ranks.filter((r) => r === 1).length / ranks.length,
        },
      ]),
    );
    log();
    log(`${'ranking'.padEnd(34)}  nDCG@5     MRR   hit@1  found in top ${limit}`);
    for (const [name, label] of [
      ['text', 'text only (search engine order)'],
      ['personalised', "Lumio's personalised ranking"],
    ]) {
      const s = summary[name];
      log(`${label.padEnd(34)}  ${s.ndcg5.toFixed(4)}  ${s.mrr.toFixed(4)}  ${s.top1.toFixed(3)}  ${s.found.toFixed(3)}`);
    }
    // Ablations: each personal signal's weight set to 0 in this process only (the model reads
    // RELEVANCE_WEIGHTS at scoring time), to show what each adds. Restored afterwards.
    const ablations = {};
    for (const signal of ['interest', 'audience', 'peers']) {
      const weight = RELEVANCE_WEIGHTS[signal];
      RELEVANCE_WEIGHTS[signal] = 0;
      try {
        const ranks = [];
        for (const person of people) {
          const session = { state: 'verified', userId: person.userId, anonymousId: `anon-${person.userId}` };
          ranks.push(
            rankOf(
              (await reader.search(workspaceId, session, person.query, { limit })).map((a) => a.id),
              articleId(person.next),
            ),
          );
        }
        ablations[signal] = mean(ranks.map((r) => (r !== null && r <= 5 ? 1 / Math.log2(r + 1) : 0)));
      } finally {
        RELEVANCE_WEIGHTS[signal] = weight;
      }
    }
    log(
      `without ${Object.entries(ablations)
        .map(([k, v]) => `${k}: nDCG@5 ${v.toFixed(4)}`)
        .join(', ')}`,
    );
    const gain = summary.personalised.ndcg5 / summary.text.ndcg5 - 1;
    const mrrGain = summary.personalised.mrr / summary.text.mrr - 1;
    log();
    log(
      `nDCG@5 ${gain >= 0 ? '+' : ''}${(gain * 100).toFixed(1)}%, MRR ${mrrGain >= 0 ? '+' : ''}${(mrrGain * 100).toFixed(1)}% over text only (target nDCG@5 ≥ +${TARGET_GAIN * 100}%): ${gain >= TARGET_GAIN ? 'MET' : 'MISSED'}`,
    );
    log(`weights ${JSON.stringify(RELEVANCE_WEIGHTS)}; need model ${JSON.stringify(NEED_MODEL)}`);
    log('first queries (rank of the wanted article: text / personalised):');
    for (const e of examples)
      log(`  "${e.query}" (${e.attributes.plan}, ${e.attributes.role}): ${e.text ?? '-'} / ${e.personalised ?? '-'}`);
    searchResults = { summary, ablations, gain, mrrGain };
  }

  // Part two, without a query: "Suggested for you", a collection's list and the collections' order
  // (without-query.js), the widget's read paths with personalisation on, off, and each signal at 0.
  let withoutQuery = null;
  if (args.part !== 'search') {
    const browsing = { suggestedLimit: MAX_SUGGESTED, listLimit: MAX_ARTICLES_PER_ANSWER };
    withoutQuery = await measureWithoutQuery({ db, reader, workspaceId, people, articleId, weights: RELEVANCE_WEIGHTS, ...browsing });
    log();
    for (const line of describeWithoutQuery(withoutQuery, browsing)) log(line);
  }

  const resultsDir = path.join(repoRoot, 'bench/results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `relevance-${args.dialect}-seed${args.seed}${args.part === 'all' ? '' : `-${args.part}`}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({ args, weights: RELEVANCE_WEIGHTS, needModel: NEED_MODEL, ...searchResults, withoutQuery }, null, 2),
  );
  log(`written ${path.relative(repoRoot, file)}`);
} finally {
  await database.close();
}

function rankOf(order, id) {
  const i = order.indexOf(id);
  return i < 0 ? null : i + 1;
}

function mean(values) {
  return values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
}

function parseArgs(argv) {
  const out = { seed: 16, articles: 2400, people: 2000, limit: 20, dialect: 'sqlite', part: 'all' };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (key === 'help') {
      log(
        'Usage: node bench/relevance/run.js [--seed 16] [--articles 2400] [--people 500] [--limit 20] [--dialect sqlite|postgres] [--part all|search|without-query]',
      );
      process.exit(0);
    }
    if (!(key in out)) throw new Error(`unknown option ${argv[i]}`);
    out[key] = key === 'dialect' || key === 'part' ? argv[++i] : Number(argv[++i]);
  }
  if (!['all', 'search', 'without-query'].includes(out.part)) throw new Error(`--part: all, search or without-query, not ${out.part}`);
  if (out.articles < 2000 && !process.env.LUMIO_BENCH_SMOKE) log('note: fewer than 2,000 articles is a smoke run, not the benchmark');
  return out;
}
