// The second part of bench:relevance: the places where there is no query and
// the viewer's signals are the main ranking signal — "Suggested for you", a
// collection's article list and the order of the collections. Each is read
// through the widget's real code path (HelpCenterReader.suggested / list /
// collections, what GET /widget/v1/:widgetId/help/suggested, /help/articles
// and /help/collections call) for each person's verified session, once with
// the workspace's `personalised_help` on and once off (what a workspace that
// turned personalisation off shows: the team's order, and for suggestions the
// articles most people found helpful), then with each personal signal's
// weight set to 0. The hidden next wanted article (or its collection) is the
// one relevant item. No randomness: the figures follow from the seed of run.js.

/** The passes, in order: the workspace setting and the signal whose weight is 0. */
const PASSES = [
  { name: 'personalised', personalised: true, without: null },
  { name: 'team', personalised: false, without: null },
  { name: 'withoutInterest', personalised: true, without: 'interest' },
  { name: 'withoutAudience', personalised: true, without: 'audience' },
  { name: 'withoutPeers', personalised: true, without: 'peers' },
];

/**
 * Ranks of each person's wanted article in "Suggested for you" (top
 * `suggestedLimit`) and in its collection's list (top `listLimit`), and of its
 * collection among the collections, per pass; and the metrics over them.
 */
export async function measureWithoutQuery({ db, reader, workspaceId, people, articleId, weights, suggestedLimit, listLimit }) {
  const ranks = {};
  try {
    for (const pass of PASSES) {
      await db
        .updateTable('workspaces')
        .set({ personalised_help: pass.personalised ? 1 : 0 })
        .where('id', '=', workspaceId)
        .execute();
      const weight = pass.without === null ? null : weights[pass.without];
      if (pass.without !== null) weights[pass.without] = 0;
      try {
        const r = { suggested: [], list: [], collections: [] };
        for (const person of people) {
          const session = { state: 'verified', userId: person.userId, anonymousId: `anon-${person.userId}` };
          const wanted = articleId(person.next);
          const collection = `col_${person.next.topic}`;
          const suggested = await reader.suggested(workspaceId, session, suggestedLimit);
          const list = await reader.list(workspaceId, session, { collectionId: collection, limit: listLimit });
          r.suggested.push(rankOf(suggested, wanted));
          r.list.push(rankOf(list, wanted));
          // The collections' order reads the interest levels, not the weights: the ablations cannot change it.
          if (pass.without === null) r.collections.push(rankOf(await reader.collections(workspaceId, session), collection));
        }
        ranks[pass.name] = r;
      } finally {
        if (pass.without !== null) weights[pass.without] = weight;
      }
    }
  } finally {
    await db.updateTable('workspaces').set({ personalised_help: 1 }).where('id', '=', workspaceId).execute();
  }
  const metrics = {};
  for (const [name, r] of Object.entries(ranks))
    metrics[name] = {
      suggested: { hit3: hitAt(r.suggested, 3), hit10: hitAt(r.suggested, 10), ndcg5: ndcgAt5(r.suggested), mrr: mrr(r.suggested) },
      list: { ndcg5: ndcgAt5(r.list), mrr: mrr(r.list), hit10: hitAt(r.list, 10) },
      collections:
        r.collections.length === 0 ? null : { mrr: mrr(r.collections), top1: hitAt(r.collections, 1), top3: hitAt(r.collections, 3) },
    };
  return metrics;
}

/** The lines run.js prints for {@link measureWithoutQuery}'s metrics. */
export function describeWithoutQuery(metrics, { suggestedLimit, listLimit }) {
  const f = (v) => v.toFixed(4);
  const gain = (a, b) => (b === 0 ? 'n/a' : `${a >= b ? '+' : ''}${((a / b - 1) * 100).toFixed(1)}%`);
  const p = metrics.personalised;
  const t = metrics.team;
  const ablation = (surface, metric) =>
    ['Interest', 'Audience', 'Peers'].map((s) => `${s.toLowerCase()} ${f(metrics[`without${s}`][surface][metric])}`).join(', ');
  return [
    `without a query (personalised_help off = the team's order; suggestions off = most found helpful, then the team's order):`,
    `${'surface, ranking'.padEnd(44)}  hit@3   hit@10  nDCG@5  MRR`,
    ...[
      [`suggested (top ${suggestedLimit}), personalisation off`, t],
      [`suggested (top ${suggestedLimit}), personalised`, p],
    ].map(
      ([label, m]) =>
        `${label.padEnd(44)}  ${m.suggested.hit3.toFixed(3)}   ${m.suggested.hit10.toFixed(3)}   ${f(m.suggested.ndcg5)}  ${f(m.suggested.mrr)}`,
    ),
    `  suggested: nDCG@5 ${gain(p.suggested.ndcg5, t.suggested.ndcg5)}, MRR ${gain(p.suggested.mrr, t.suggested.mrr)}; without ${ablation('suggested', 'ndcg5')} (nDCG@5)`,
    ...[
      [`collection list (top ${listLimit}), team order`, t],
      [`collection list (top ${listLimit}), personalised`, p],
    ].map(([label, m]) => `${label.padEnd(44)}  -       ${m.list.hit10.toFixed(3)}   ${f(m.list.ndcg5)}  ${f(m.list.mrr)}`),
    `  collection list: nDCG@5 ${gain(p.list.ndcg5, t.list.ndcg5)}, MRR ${gain(p.list.mrr, t.list.mrr)}; without ${ablation('list', 'ndcg5')} (nDCG@5)`,
    ...[
      ['collection order, team order', t],
      ['collection order, personalised', p],
    ].map(
      ([label, m]) =>
        `${label.padEnd(44)}  top1 ${m.collections.top1.toFixed(3)}  top3 ${m.collections.top3.toFixed(3)}  MRR ${f(m.collections.mrr)}`,
    ),
    `  collection order: MRR ${gain(p.collections.mrr, t.collections.mrr)} (ordered by interest alone, whatever the weights: no ablation)`,
    `  (suggestions: the first ${suggestedLimit}; lists: the first ${listLimit}, the most one answer carries)`,
  ];
}

function rankOf(items, id) {
  const i = items.findIndex((x) => x.id === id);
  return i < 0 ? null : i + 1;
}

const mean = (values) => values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
const hitAt = (ranks, k) => mean(ranks.map((r) => (r !== null && r <= k ? 1 : 0)));
const ndcgAt5 = (ranks) => mean(ranks.map((r) => (r !== null && r <= 5 ? 1 / Math.log2(r + 1) : 0)));
const mrr = (ranks) => mean(ranks.map((r) => (r === null ? 0 : 1 / r)));
