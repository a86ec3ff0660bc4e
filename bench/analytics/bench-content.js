// The content the ingestion benchmark's events are about: collections, tagged
// articles and announcements (one whose CTA links to an article), made through
// the dashboard API, so that article and announcement events touch real ids and
// a server with interest profiles credits real topics.
//
// Works against a server build without interests or tags too (the "before"
// figure of a before/after comparison): an article refused for its `tags` is
// created without them, and the load omits the `search` prop of
// `$article_viewed` when the server refuses it (see probeSearchProp).

/** Collections of the benchmark's help center. */
export const BENCH_COLLECTIONS = 12;
/** Articles per collection. */
export const BENCH_ARTICLES_PER_COLLECTION = 10;
/** Tags an article carries (of a pool of 30). */
const TAGS_PER_ARTICLE = 2;
const TAG_POOL = Array.from({ length: 30 }, (_, i) => `tag-${String(i).padStart(2, '0')}`);

/**
 * Creates the help center and two announcements; returns { articles: [ids],
 * linkedAnnouncement, plainAnnouncement, tagged: whether the server took tags }.
 */
export async function createBenchContent(api, workspaceId) {
  const base = `/workspaces/${workspaceId}`;
  const must = (res, what) => {
    if (res.status !== 200 && res.status !== 201)
      throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
    return res.body;
  };
  const articles = [];
  const slugs = [];
  let tagged = true;
  for (let c = 0; c < BENCH_COLLECTIONS; c++) {
    const collection = must(await api.dashboard('POST', `${base}/help/collections`, { name: `Topic ${c}` }), 'a collection');
    for (let a = 0; a < BENCH_ARTICLES_PER_COLLECTION; a++) {
      const n = c * BENCH_ARTICLES_PER_COLLECTION + a;
      const body = {
        title: `Article ${n}`,
        body: `How to do thing ${n} in **topic ${c}**.`,
        collectionId: collection.id,
        status: 'published',
      };
      const tags = Array.from({ length: TAGS_PER_ARTICLE }, (_, k) => TAG_POOL[(n * 7 + k * 13) % TAG_POOL.length]);
      let res = tagged ? await api.dashboard('POST', `${base}/help/articles`, { ...body, tags }) : null;
      // A build without article tags refuses the field: go on without them.
      if (res && res.status === 400) tagged = false;
      if (!tagged) res = await api.dashboard('POST', `${base}/help/articles`, body);
      const article = must(res, 'an article');
      articles.push(article.id);
      slugs.push(article.slug);
    }
  }
  const announcement = async (title, url) =>
    must(
      await api.dashboard('POST', `${base}/announcements`, { kind: 'post', title, status: 'live', cta: { label: 'Read', url } }),
      'an announcement',
    ).id;
  const linkedAnnouncement = await announcement('Linked', `https://app.example.com/help#article/${encodeURIComponent(slugs[0])}`);
  const plainAnnouncement = await announcement('Plain', 'https://app.example.com/pricing');
  return { articles, linkedAnnouncement, plainAnnouncement, tagged };
}

/**
 * Whether the server takes `search: true` on `$article_viewed` (a build with
 * interest profiles does): one event through a session of its own; returns
 * { search, accepted } (accepted: events stored, for the stored-vs-acknowledged check).
 */
export async function probeSearchProp(origin, widgetId, articleId) {
  const post = async (path, body, token) => {
    const response = await fetch(`${origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const session = await post(`/widget/v1/${widgetId}/session`, { anonymousId: 'anon_bench_probe_0001' });
  const answer = await post(
    `/widget/v1/${widgetId}/events`,
    { events: [{ id: 'probe_search_0001', name: '$article_viewed', at: Date.now(), props: { articleId, search: true } }] },
    session.body.token,
  );
  if (answer.status !== 200) throw new Error(`the probe event answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return { search: answer.body.accepted === 1, accepted: answer.body.accepted };
}
