import type { InjectOptions } from 'fastify';
import { BAD_CONDITIONS, BAD_PAYLOADS, BAD_SEGMENTS, FIELD_NAMES, badValue } from './bad-values.js';
import type { FuzzWorld } from './fuzz-world.js';
import { Prng } from './prng.js';

/** A route of the app's own route table, as the fuzzer reads it. */
export interface FuzzRoute {
  method: string;
  url: string;
  scope: string | undefined;
}

type ParamChoice = { fixture: true } | { raw: string };
type BodyChoice = { json: unknown } | { raw: string | Buffer; contentType: string | undefined } | undefined;

/** One generated request, independent of the world it is sent to: fixtures are filled in by {@link requestFor}. */
export interface FuzzCase {
  index: number;
  route: FuzzRoute;
  /** What was made bad: `param:userId`, `query`, `body:json`, `body:raw`, `credentials`… */
  mutation: string;
  params: Record<string, ParamChoice>;
  query: string;
  credentials: 'right' | 'none' | 'garbage';
  body: BodyChoice;
}

// The fixtures' own time (TestClock's default), so a valid event is in range in every world.
const NOW = Date.UTC(2026, 10, 21, 12, 0, 0);
const DAY = 86_400_000;
const RANGE = { from: NOW - 7 * DAY, to: NOW, condition: { plan: 'pro' } };

// A valid body per route, so a mutation of one field reaches that field's own checks.
const BASE_BODIES: Record<string, unknown> = {
  'POST /api/v1/auth/login': { email: 'owner@example.com', password: 'not the password at all' },
  'POST /api/v1/auth/forgot-password': { email: 'owner@example.com' },
  'POST /api/v1/workspaces/:workspaceId/invites': { role: 'member', email: 'fuzz-invitee@example.com' },
  'POST /api/v1/workspaces': { name: 'Second' },
  'POST /api/v1/workspaces/:workspaceId/widgets': { name: 'W', allowedOrigins: ['https://app.example'] },
  'PATCH /api/v1/workspaces/:workspaceId/widgets/:widgetId': { name: 'Renamed' },
  'POST /api/v1/workspaces/:workspaceId/segments': { name: 'S', condition: { plan: 'pro' } },
  'POST /api/v1/workspaces/:workspaceId/segments/preview': { condition: { plan: 'pro', seats: { $gte: 2 } } },
  'POST /api/v1/workspaces/:workspaceId/users/search': { condition: { plan: 'pro' } },
  'POST /api/v1/workspaces/:workspaceId/announcements': { kind: 'post', title: 'T', body: 'b' },
  'POST /api/v1/workspaces/:workspaceId/announcements/preview': { body: '*b*' },
  'POST /api/v1/workspaces/:workspaceId/help/collections': { name: 'C' },
  'POST /api/v1/workspaces/:workspaceId/help/articles': { title: 'A', body: 'b' },
  'POST /api/v1/workspaces/:workspaceId/help/articles/preview': { body: 'b' },
  'POST /api/v1/workspaces/:workspaceId/analytics/reports/series': { ...RANGE, event: '$widget_opened', interval: 'day' },
  'POST /api/v1/workspaces/:workspaceId/analytics/reports/funnel': RANGE,
  'POST /api/v1/workspaces/:workspaceId/analytics/reports/articles': RANGE,
  'POST /api/v1/workspaces/:workspaceId/analytics/reports/demographics': RANGE,
  'PATCH /api/v1/workspaces/:workspaceId/segments/:segmentId': { condition: { plan: 'pro' } },
  'POST /api/v1/workspaces/:workspaceId/analytics/reports/identity-health': { from: RANGE.from, to: RANGE.to, interval: 'day' },
  'PUT /api/v1/workspaces/:workspaceId/analytics/settings': { retentionDays: 90 },
  'PATCH /api/v1/workspaces/:workspaceId/settings': { browserVisibleKeys: ['plan'], interestHalfLifeDays: 14, personalisedHelp: true },
  // Port 9 on loopback refuses at once: a test email then answers email_send_failed without waiting on a network.
  'PUT /api/v1/instance/email': {
    host: '127.0.0.1',
    port: 9,
    security: 'none',
    user: 'lumio',
    password: 'smtp-password',
    from: 'Lumio <lumio@example.com>',
    publicUrl: 'https://lumio.example.com',
  },
  'POST /widget/v1/:widgetId/session': { anonymousId: 'anon_fuzz_case_0001' },
  'POST /widget/v1/:widgetId/identify': {
    userId: 'u2',
    traits: { name: 'Ada' },
    properties: { plan: 'pro' },
    company: { id: 'c1', name: 'Acme', properties: { seats: 3 } },
  },
  'POST /widget/v1/:widgetId/events': { events: [{ id: 'evt_fuzz_000001', name: 'clicked', at: NOW, props: { a: 1 } }] },
  'POST /widget/v1/:widgetId/announcements/:announcementId/events': { type: 'seen' },
  'POST /widget/v1/:widgetId/help/articles/:articleId/feedback': { helpful: true },
  'PUT /server/v1/users/:userId': { name: 'Ada', properties: { plan: 'pro' }, companies: [{ id: 'c1', properties: { tier: 'gold' } }] },
  'PUT /server/v1/companies/:companyId': { name: 'Acme', properties: { plan: 'pro', seats: 3 } },
  // An unknown old id: the merge answers 404 and every world keeps its users.
  'POST /server/v1/users/:userId/merge': { from: 'fuzz-merge-source' },
  'POST /api/v1/workspaces/:workspaceId/webhooks': { url: 'https://hooks.example.com/fuzz', description: 'd', events: ['user.created'] },
  'PATCH /api/v1/workspaces/:workspaceId/webhooks/:endpointId': { url: 'https://hooks.example.com/v2', events: ['*'], enabled: true },
  'POST /server/v1/webhooks': { url: 'https://hooks.example.com/fuzz', events: ['*'] },
  'PATCH /server/v1/webhooks/:endpointId': { description: 'd', events: ['user.updated'] },
  'POST /server/v1/events': {
    events: [{ id: 'srv_fuzz_000001', name: 'invoice paid', userId: 'u2', company: 'acme', at: NOW, properties: { amount: 1 } }],
  },
};

// Routes that take a file rather than JSON: a valid file, and its cells made bad one at a time.
const RAW_BODIES: Record<string, { raw: (cell: string) => string; contentType: string }> = {
  'POST /server/v1/users/import': {
    raw: (cell) => `user_id,name,properties.plan,company_id\nfuzz-import-1,${cell},pro,acme\n`,
    contentType: 'text/csv',
  },
};

const QUERY_KEYS = [
  'query',
  'q',
  'userId',
  'limit',
  'before',
  'cursor',
  'format',
  'saved',
  'offset',
  'status',
  'actor',
  'action',
  'from',
  'to',
  'state',
  '__proto__',
  'constructor',
  'a[b]',
];

// Routes whose success would destroy a fixture (a session, a key, a widget…):
// they always get one bad param, or no credentials, so every world keeps its fixtures.
function destroysFixtures(route: FuzzRoute): boolean {
  return route.method === 'DELETE' || /\/(revoke|rotate|logout|change-password)$/.test(route.url);
}

function paramNames(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z]+)|(\*)/g)].map((m) => m[1] ?? '*');
}

/** The rng of one case: derived from the seed and the index, so any case can be replayed alone. */
export function caseRng(seed: number, index: number): Prng {
  return new Prng((Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0);
}

/** Generates case `index` of a run: one route of the table, one thing about its request made bad. */
export function generateCase(routes: readonly FuzzRoute[], seed: number, index: number): FuzzCase {
  const rng = caseRng(seed, index);
  const route = routes[index % routes.length]!;
  const names = paramNames(route.url);
  const params: Record<string, ParamChoice> = Object.fromEntries(names.map((n) => [n, { fixture: true } as ParamChoice]));
  const base = BASE_BODIES[`${route.method} ${route.url}`];
  const takesBody = route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH';
  const file = RAW_BODIES[`${route.method} ${route.url}`];
  let body: BodyChoice = file ? { raw: file.raw('Ada'), contentType: file.contentType } : takesBody ? { json: base ?? {} } : undefined;
  let query = '';
  let credentials: FuzzCase['credentials'] = 'right';
  let mutation: string;

  const kinds = [
    ...(names.length ? ['param', 'param'] : []),
    'query',
    'credentials',
    ...(takesBody ? ['body', 'body', 'body', 'raw'] : ['raw']),
  ];
  const kind = rng.pick(kinds);
  if (kind === 'param') {
    const name = rng.pick(names);
    params[name] = { raw: rng.pick(BAD_SEGMENTS) };
    mutation = `param:${name}`;
  } else if (kind === 'query') {
    query = randomQuery(rng);
    mutation = 'query';
  } else if (kind === 'credentials') {
    credentials = rng.pick(['none', 'garbage'] as const);
    mutation = `credentials:${credentials}`;
  } else if (kind === 'raw') {
    const raw = rng.pick(BAD_PAYLOADS);
    body = { raw: raw.payload, contentType: raw.contentType };
    mutation = `body:raw:${raw.contentType ?? 'none'}`;
  } else if (file) {
    // A cell quoted or not, holding a bad value as text (quotes, NUL, line breaks, huge strings…).
    const text = String(badValue(rng)).slice(0, 100_000);
    body = { raw: file.raw(rng.chance(0.5) ? `"${text.replace(/"/g, '""')}"` : text), contentType: file.contentType };
    mutation = 'body:file';
  } else {
    body = { json: mutateBody(rng, base) };
    mutation = 'body:json';
  }
  if (destroysFixtures(route) && credentials === 'right' && Object.values(params).every((p) => 'fixture' in p)) {
    if (names.length) params[rng.pick(names)] = { raw: rng.pick(BAD_SEGMENTS) };
    else credentials = 'garbage';
  }
  return { index, route, mutation, params, query, credentials, body };
}

function randomQuery(rng: Prng): string {
  const parts: string[] = [];
  for (let i = 0, n = 1 + rng.int(3); i < n; i++) {
    const key = rng.pick(QUERY_KEYS);
    const value = rng.chance(0.5) ? rng.pick(BAD_SEGMENTS) : percentEncode(String(badValue(rng)).slice(0, 3000));
    parts.push(`${key}=${value}`);
  }
  if (rng.chance(0.1)) parts.push(parts[0]!); // a repeated key arrives as a list
  return parts.join('&');
}

// encodeURIComponent throws on a lone surrogate: send its (invalid) UTF-8 bytes, as a careless client would.
function percentEncode(text: string): string {
  return Array.from(text, (ch) => (/^[\ud800-\udfff]$/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch))).join('');
}

function mutateBody(rng: Prng, base: unknown): unknown {
  // A body that takes a condition mostly gets a hard one: conditions are compiled to SQL.
  // The widest shapes (the first two) most often: they are what SQL compiles deepest.
  if (base && typeof base === 'object' && 'condition' in base && rng.chance(0.75))
    return { ...(base as object), condition: (rng.chance(0.4) ? BAD_CONDITIONS[rng.int(2)]! : rng.pick(BAD_CONDITIONS))(rng) };
  const choice = rng.int(4);
  if (choice === 0) return badValue(rng);
  if (choice === 1 || base === undefined || base === null || typeof base !== 'object') {
    const body: Record<string, unknown> = {};
    for (let i = 0, n = 1 + rng.int(3); i < n; i++) body[rng.pick(FIELD_NAMES)] = badValue(rng);
    return body;
  }
  // One field of a valid body made bad, or one level down (traits.name, events[0].props…).
  const copy = structuredClone(base) as Record<string, unknown>;
  const keys = Object.keys(copy);
  let target: Record<string, unknown> = copy;
  let key = rng.chance(0.2) ? rng.pick(FIELD_NAMES) : rng.pick(keys);
  const inner = copy[key];
  if (rng.chance(0.5) && inner && typeof inner === 'object') {
    target = (Array.isArray(inner) ? inner[0] : inner) as Record<string, unknown>;
    const innerKeys = target && typeof target === 'object' ? Object.keys(target) : [];
    if (innerKeys.length === 0) target = copy;
    else key = rng.chance(0.2) ? rng.pick(FIELD_NAMES) : rng.pick(innerKeys);
  }
  target[key] = badValue(rng);
  return copy;
}

/** The request a case makes in one world: its fixture ids and credentials filled in. */
export function requestFor(fuzzCase: FuzzCase, world: FuzzWorld): InjectOptions {
  const { route } = fuzzCase;
  let url = route.url.replace(/:([A-Za-z]+)|\*/g, (match, name: string | undefined) => {
    const param = name ?? '*';
    const choice = fuzzCase.params[param]!;
    if ('raw' in choice) return choice.raw;
    return percentEncode(fixtureFor(param, route.url, world));
  });
  if (fuzzCase.query) url += `?${fuzzCase.query}`;
  const headers: Record<string, string> = {};
  const scope = route.scope;
  if (fuzzCase.credentials === 'garbage') {
    headers.cookie = 'lumio_session=garbage';
    headers.authorization = 'Bearer garbage';
  } else if (fuzzCase.credentials === 'right') {
    if (scope === 'workspace' || scope === 'account' || scope === 'instance') headers.cookie = world.owner.cookie;
    if (scope === 'api-key') headers.authorization = `Bearer ${world.apiKey}`;
    if (scope === 'widget') headers.authorization = `Bearer ${world.widgetToken}`;
  }
  const options: InjectOptions = { method: route.method as 'GET', url, headers };
  const body = fuzzCase.body;
  if (body && 'json' in body) {
    headers['content-type'] = 'application/json';
    options.payload = body.json === undefined ? 'null' : JSON.stringify(body.json);
  } else if (body) {
    if (body.contentType !== undefined) headers['content-type'] = body.contentType;
    options.payload = body.raw;
  }
  return options;
}

function fixtureFor(param: string, url: string, world: FuzzWorld): string {
  if (param === 'keyId') return url.includes('/secrets/') ? world.ids.secretKeyId! : world.ids.apiKeyId!;
  return world.ids[param] ?? 'unknown';
}

/** A short, printable description of a case, to replay it by hand. */
export function describeCase(fuzzCase: FuzzCase, world: FuzzWorld): string {
  const request = requestFor(fuzzCase, world);
  const payload =
    request.payload === undefined
      ? ''
      : Buffer.isBuffer(request.payload)
        ? `<bytes ${request.payload.toString('hex').slice(0, 120)}>`
        : String(request.payload);
  const headers = request.headers as Record<string, string>;
  return `#${fuzzCase.index} ${fuzzCase.mutation}: ${request.method} ${String(request.url).slice(0, 300)} content-type=${headers['content-type'] ?? '-'} credentials=${fuzzCase.credentials} body=${JSON.stringify(payload.slice(0, 300))}${payload.length > 300 ? `…(${payload.length} chars)` : ''}`;
}
