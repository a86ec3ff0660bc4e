// A minimal host app, as the docs tell customers to integrate Lumio: the
// page loads the snippet, asks its own backend who is signed in, and calls
// identify with the signature that backend computed. The signing secret never
// leaves the server.
//
//   node examples/host-app/host-app.js   (LUMIO_URL, LUMIO_WIDGET_ID, LUMIO_SIGNING_SECRET, PORT)
//
// The same pages are what a Lumio server in demo mode serves at /demo
// (handleHostAppRequest), and what the browser tests drive (startHostApp).
import http from 'node:http';
import { signUserId } from '@lumio/node';

/**
 * @typedef {{ userId: string, name: string, email: string, properties: Record<string, string | number> }} DemoUser
 * @typedef {{ method: string, url: string, cookie?: string | undefined }} HostAppRequest
 * @typedef {{ status: number, headers: Record<string, string | string[]>, body: string }} HostAppResponse
 * @typedef {object} HostAppOptions
 * @property {string} widgetId the Lumio widget this app embeds
 * @property {string} signingSecret that widget's signing secret (server side only)
 * @property {string} loaderScript the snippet's JavaScript, from `<lumio>/sdk/v1/loader.js`
 * @property {string} [basePath] where the app is mounted ('' for the root, '/demo' in a Lumio server)
 * @property {string} [title] the page's heading
 */

/** The demo users this app "signs in" (a real app has its own accounts). */
/** @type {Readonly<Record<'ada' | 'grace', DemoUser>>} */
export const DEMO_USERS = {
  ada: { userId: 'demo-ada', name: 'Ada Lovelace', email: 'ada@example.com', properties: { plan: 'pro', role: 'admin', seats: 12 } },
  grace: { userId: 'demo-grace', name: 'Grace Hopper', email: 'grace@example.com', properties: { plan: 'free', role: 'member' } },
};

/**
 * Answers one request to the host app: the page, `login`, and the identity
 * endpoint. Framework-free, so a plain node:http server and a Lumio server's
 * /demo route serve exactly the same app. Null when the path is not the app's.
 *
 * @param {HostAppRequest} request
 * @param {HostAppOptions} options
 * @returns {HostAppResponse | null}
 */
export function handleHostAppRequest(request, options) {
  const base = options.basePath ?? '';
  const url = new URL(request.url, 'http://host');
  const rest = url.pathname.startsWith(base) ? url.pathname.slice(base.length) : null;
  if (rest === null || (rest !== '' && !rest.startsWith('/'))) return null;
  if (request.method !== 'GET' && request.method !== 'HEAD') return null;
  const route = rest || '/';
  const user = withPlan(demoUser(signedInUser(request.cookie)), chosenPlan(request.cookie));

  if (route === '/api/lumio-identity') {
    // What the customer's backend does: sign the signed-in user's id with the widget secret.
    const body = user ? { ...user, signature: signUserId(user.userId, options.signingSecret) } : { userId: null };
    return reply(200, 'application/json', JSON.stringify(body), { 'cache-control': 'no-store' });
  }
  if (route === '/login') {
    const name = url.searchParams.get('user') ?? '';
    const known = demoUser(name) !== undefined;
    const cookie = `demo_user=${known ? name : ''}; Path=${base || '/'}; HttpOnly; SameSite=Lax`;
    // A new sign-in starts from the user's own plan.
    const plan = `demo_plan=; Path=${base || '/'}; HttpOnly; SameSite=Lax`;
    // Signing out is the moment to reset Lumio: the page is told so once.
    return reply(302, 'text/plain', '', { location: known ? `${base}/` : `${base}/?signed_out=1`, 'set-cookie': [cookie, plan] });
  }
  if (route === '/plan') {
    // The host app changes the user's plan (an upgrade): its next identify sends the new one.
    const plan = PLANS.includes(url.searchParams.get('plan') ?? '') ? url.searchParams.get('plan') : '';
    const cookie = `demo_plan=${plan}; Path=${base || '/'}; HttpOnly; SameSite=Lax`;
    return reply(302, 'text/plain', '', { location: `${base}/`, 'set-cookie': cookie });
  }
  if (route === '/') return reply(200, 'text/html; charset=utf-8', page(options, base, user), { 'cache-control': 'no-store' });
  return null;
}

/**
 * Starts the host app on 127.0.0.1, fetching the snippet from `lumioUrl`.
 *
 * @param {{ lumioUrl: string, widgetId: string, signingSecret: string, port?: number }} options
 * @returns {Promise<{ origin: string, close(): Promise<void> }>}
 */
export async function startHostApp({ lumioUrl, widgetId, signingSecret, port = 0 }) {
  const loaderScript = await (await fetch(`${lumioUrl}/sdk/v1/loader.js`)).text();
  const server = http.createServer((request, response) => {
    const answer =
      handleHostAppRequest(
        { method: request.method ?? 'GET', url: request.url ?? '/', cookie: request.headers.cookie },
        {
          widgetId,
          signingSecret,
          loaderScript,
        },
      ) ?? reply(404, 'text/plain', 'not found');
    response.writeHead(answer.status, answer.headers).end(answer.body);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

/**
 * @param {HostAppOptions} options
 * @param {string} base
 * @param {DemoUser | undefined} user
 */
function page(options, base, user) {
  const title = escapeHtml(options.title ?? 'Acme');
  // The loader ends a <script> element early if it ever contains "</script": refuse rather than break the page.
  if (/<\/script/i.test(options.loaderScript)) throw new Error('the loader script must not contain "</script"');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} (a Lumio host app)</title>
<script>${options.loaderScript}
LumioWidget('init', { widgetId: ${scriptJson(options.widgetId)} });
LumioWidget('on', 'stateChange', function (e) { document.getElementById('state').textContent = e.state; });
LumioWidget('on', 'error', function (e) { document.getElementById('error').textContent = e.code; });
</script></head>
<body style="font: 16px system-ui; margin: 2rem; max-width: 42rem">
<h1>${title}</h1>
<p>Signed in as: <b id="user">${user ? escapeHtml(user.name) : 'nobody'}</b> · <a href="${base}/login?user=ada">Ada</a> · <a href="${base}/login?user=grace">Grace</a> · <a href="${base}/login?user=">sign out</a></p>
<p>Lumio identity state: <b id="state">anonymous</b> <span id="error" style="color: #b00"></span></p>
${
  user
    ? `<p>Plan: <b id="plan">${escapeHtml(String(user.properties.plan))}</b> · ${PLANS.filter((p) => p !== user.properties.plan)
        .map((p) => `<a href="${base}/plan?plan=${p}">switch to ${p}</a>`)
        .join(' · ')}</p>`
    : ''
}
<p style="color: #555">This page's server signs the signed-in user's id with the widget's signing secret
(<code>GET ${base}/api/lumio-identity</code>); the page passes the result to <code>LumioWidget('identify', …)</code>.
Sign in as Ada or Grace: the state turns <b>verified</b>.</p>
<script>
// After login: ask our own server who this is, with its signature, and identify.
fetch(${scriptJson(`${base}/api/lumio-identity`)}).then(function (r) { return r.json(); }).then(function (me) {
  if (me.userId) LumioWidget('identify', me);
  else if (location.search.indexOf('signed_out=1') >= 0) LumioWidget('resetSession'); // logout: forget the user
});
</script>
</body></html>`;
}

/** @param {string} name @returns {DemoUser | undefined} */
function demoUser(name) {
  return Object.hasOwn(DEMO_USERS, name) ? DEMO_USERS[/** @type {keyof typeof DEMO_USERS} */ (name)] : undefined;
}

/** Plans the demo user can switch between. */
const PLANS = ['free', 'pro'];

/** @param {DemoUser | undefined} user @param {string} plan @returns {DemoUser | undefined} */
function withPlan(user, plan) {
  return user && plan ? { ...user, properties: { ...user.properties, plan } } : user;
}

/** @param {string | undefined} cookie */
function chosenPlan(cookie) {
  const plan = /(?:^|;\s*)demo_plan=([a-z]*)/.exec(cookie ?? '')?.[1] ?? '';
  return PLANS.includes(plan) ? plan : '';
}

/** @param {string | undefined} cookie */
function signedInUser(cookie) {
  const match = /(?:^|;\s*)demo_user=([a-z]*)/.exec(cookie ?? '');
  return match?.[1] ?? '';
}

/**
 * @param {number} status
 * @param {string} type
 * @param {string} body
 * @param {Record<string, string | string[]>} [headers]
 * @returns {HostAppResponse}
 */
function reply(status, type, body, headers = {}) {
  return { status, headers: { 'content-type': type, ...headers }, body };
}

/** @param {string} text */
function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON for inside a <script> element: "<" escaped so no value can close the element. @param {unknown} value */
function scriptJson(value) {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { LUMIO_URL = 'http://localhost:8080', LUMIO_WIDGET_ID, LUMIO_SIGNING_SECRET, PORT = '3000' } = process.env;
  if (!LUMIO_WIDGET_ID || !LUMIO_SIGNING_SECRET) {
    process.stderr.write('set LUMIO_WIDGET_ID and LUMIO_SIGNING_SECRET (and LUMIO_URL if Lumio is not on localhost:8080)\n');
    process.exit(2);
  }
  const app = await startHostApp({
    lumioUrl: LUMIO_URL,
    widgetId: LUMIO_WIDGET_ID,
    signingSecret: LUMIO_SIGNING_SECRET,
    port: Number(PORT),
  });
  process.stdout.write(`host app on ${app.origin} (add this origin to the widget's allowed origins)\n`);
}
