// A minimal host app, as the docs tell customers to integrate Lumio: the
// page loads the snippet, asks its own backend who is signed in, and calls
// identify with the signature that backend computed. The signing secret never
// leaves the server.
//
//   node examples/host-app/host-app.js   (LUMIO_URL, LUMIO_WIDGET_ID, LUMIO_SIGNING_SECRET, PORT)
//
// Also imported by the browser tests (e2e/) as startHostApp().
import http from 'node:http';
import { signUserId } from '@lumio/node';

/** The demo users this app "signs in" (a real app has its own accounts). */
export const DEMO_USERS = {
  ada: { userId: 'demo-ada', name: 'Ada Lovelace', email: 'ada@example.com', properties: { plan: 'pro', role: 'admin', seats: 12 } },
  grace: { userId: 'demo-grace', name: 'Grace Hopper', email: 'grace@example.com', properties: { plan: 'free', role: 'member' } },
};

/**
 * Starts the host app on 127.0.0.1. `lumioUrl`: the Lumio server; `widgetId`
 * and `signingSecret`: the widget's. Resolves with { origin, close() }.
 */
export async function startHostApp({ lumioUrl, widgetId, signingSecret, port = 0 }) {
  const loader = await (await fetch(`${lumioUrl}/sdk/v1/loader.js`)).text();
  const server = http.createServer((request, response) => {
    const url = new URL(request.url, 'http://host');
    const user = DEMO_USERS[signedInUser(request)];
    if (url.pathname === '/api/lumio-identity') {
      // What the customer's backend does: sign the signed-in user's id with the widget secret.
      const body = user ? { ...user, signature: signUserId(user.userId, signingSecret) } : { userId: null };
      return send(response, 200, 'application/json', JSON.stringify(body));
    }
    if (url.pathname === '/login') {
      const name = url.searchParams.get('user');
      response.setHeader('set-cookie', `demo_user=${DEMO_USERS[name] ? name : ''}; Path=/; HttpOnly; SameSite=Lax`);
      // Signing out is the moment to reset Lumio: the page is told so once.
      return send(response, 302, 'text/plain', '', { location: DEMO_USERS[name] ? '/' : '/?signed_out=1' });
    }
    if (url.pathname === '/') return send(response, 200, 'text/html; charset=utf-8', page(loader, widgetId, user));
    return send(response, 404, 'text/plain', 'not found');
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

function page(loader, widgetId, user) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme (a Lumio host app)</title>
<script>${loader}
LumioWidget('init', { widgetId: ${JSON.stringify(widgetId)} });
LumioWidget('on', 'stateChange', function (e) { document.getElementById('state').textContent = e.state; });
LumioWidget('on', 'error', function (e) { document.getElementById('error').textContent = e.code; });
</script></head>
<body style="font: 16px system-ui; margin: 2rem">
<h1>Acme</h1>
<p>Signed in as: <b>${user ? escapeHtml(user.name) : 'nobody'}</b> · <a href="/login?user=ada">Ada</a> · <a href="/login?user=grace">Grace</a> · <a href="/login?user=">sign out</a></p>
<p>Lumio identity state: <b id="state">anonymous</b> <span id="error" style="color: #b00"></span></p>
<script>
// After login: ask our own server who this is, with its signature, and identify.
fetch('/api/lumio-identity').then(function (r) { return r.json(); }).then(function (me) {
  if (me.userId) LumioWidget('identify', me);
  else if (location.search.indexOf('signed_out=1') >= 0) LumioWidget('resetSession'); // logout: forget the user
});
</script>
</body></html>`;
}

function signedInUser(request) {
  const match = /(?:^|;\s*)demo_user=([a-z]*)/.exec(request.headers.cookie ?? '');
  return match ? match[1] : '';
}

function send(response, status, type, body, headers = {}) {
  response.writeHead(status, { 'content-type': type, ...headers }).end(body);
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
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
