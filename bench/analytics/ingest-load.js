// The load generator of bench:analytics' ingestion part, in its own process
// pinned to the load core (ingest.js starts it): starts widget sessions,
// identifies some of them, then posts batches of 100 events with each
// session's bearer token through POST /widget/v1/:widgetId/events, a warm-up
// and then timed runs, counting only the events each answer says it accepted.
// Prints one JSON line per run, then {"done":true}.
import crypto from 'node:crypto';
import { signUserId } from '../identify/payload.js';

const job = JSON.parse(process.argv[2]);
const { origin, widgetId, secret, sessions, identified, connections, batch, warmupSeconds, runSeconds, runs } = job;
// The workspace's real articles and announcements (bench-content.js); `searchProp` false for a build that refuses it.
const { articles, linkedAnnouncement, plainAnnouncement, searchProp } = job;
const say = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);

async function post(path, body, token) {
  const response = await fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

// Sessions: anonymous visitors, verified users and a few identified-unverified ones.
const tokens = [];
for (let i = 0; i < sessions; i++) {
  const anonymousId = `anon_${crypto.randomBytes(16).toString('base64url')}`;
  const started = await post(`/widget/v1/${widgetId}/session`, JSON.stringify({ anonymousId }));
  if (started.status !== 200) throw new Error(`session answered ${started.status}: ${JSON.stringify(started.body)}`);
  let token = started.body.token;
  if (i < identified) {
    const userId = `load_user_${String(i).padStart(5, '0')}`;
    const verified = i % 4 !== 3;
    const body = {
      userId,
      ...(verified ? { signature: signUserId(secret, userId) } : {}),
      properties: { plan: ['free', 'pro', 'enterprise'][i % 3], role: ['admin', 'member', 'viewer'][i % 3], region: 'eu-west' },
    };
    const answer = await post(`/widget/v1/${widgetId}/identify`, JSON.stringify(body), token);
    if (answer.status !== 200) throw new Error(`identify answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    token = answer.body.token;
  }
  tokens.push(token);
}

// What a session sends: mostly article views and opens/closes, some searches, saves, helpful votes,
// announcements and the host's own events. Article and announcement events name real ids, so a build
// with interest profiles credits topics for half the events (the path `npm run bench:analytics` measures).
const anyArticle = () => articles[Math.floor(Math.random() * articles.length)];
const hotArticle = () => articles[Math.floor(Math.random() * Math.min(20, articles.length))];
const TEMPLATES = [
  ['$widget_opened', null],
  ['$article_viewed', () => ({ articleId: anyArticle() })],
  ['$article_viewed', () => ({ articleId: hotArticle() })],
  ['$article_viewed', () => (searchProp ? { articleId: anyArticle(), search: true } : { articleId: anyArticle() })],
  ['$article_searched', () => ({ query: 'reset password', results: 4 })],
  ['$article_saved', () => ({ articleId: anyArticle(), saved: true })],
  ['$article_rated', () => ({ articleId: hotArticle(), helpful: true })],
  ['$announcement_shown', () => ({ announcementId: plainAnnouncement })],
  ['$announcement_clicked', () => ({ announcementId: linkedAnnouncement })],
  ['Dashboard Viewed', null],
  ['Report Exported', () => ({ format: 'csv', rows: Math.floor(Math.random() * 5000) })],
  ['$widget_closed', null],
];
const prefix = crypto.randomBytes(4).toString('hex');
let sequence = 0;
function batchBody() {
  const now = Date.now();
  const events = [];
  for (let i = 0; i < batch; i++) {
    const [name, props] = TEMPLATES[(sequence + i) % TEMPLATES.length];
    const event = { id: `${prefix}${(sequence + i).toString(36).padStart(12, '0')}`, name, at: now - 30_000 + i * 200 };
    if (props) event.props = props();
    events.push(event);
  }
  sequence += batch;
  return JSON.stringify({ events });
}

// `connections` clients (fetch keeps one connection alive per client in flight), each posting batches back to back with one of the sessions in turn.
async function drive(seconds) {
  const stopAt = performance.now() + seconds * 1000;
  const latencies = [];
  let accepted = 0;
  let sent = 0;
  let failures = 0;
  let next = 0;
  const statuses = {};
  const client = async () => {
    while (performance.now() < stopAt) {
      const token = tokens[next++ % tokens.length];
      const body = batchBody();
      const t = performance.now();
      const answer = await post(`/widget/v1/${widgetId}/events`, body, token);
      latencies.push(performance.now() - t);
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      sent += batch;
      if (answer.status === 200) accepted += answer.body.accepted;
      else failures++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, client));
  const seconds_ = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    seconds: seconds_,
    requests: latencies.length,
    sent,
    accepted,
    failures,
    statuses,
    eventsPerSecond: accepted / seconds_,
    p50: at(0.5),
    p99: at(0.99),
  };
}

say({ ready: true, sessions: tokens.length });
const warm = await drive(warmupSeconds);
say({ warmup: true, ...warm });
for (let run = 0; run < runs; run++) {
  // The parent samples CPU around each run: tell it when a run starts.
  say({ starting: run });
  say({ run, ...(await drive(runSeconds)) });
}
say({ done: true });
