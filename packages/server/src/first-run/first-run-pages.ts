import type { FastifyInstance } from 'fastify';

// Until the dashboard app lands, these three pages make the links Lumio hands
// out (setup, invite, password reset) usable from a browser. Each is a plain
// form that calls the JSON API. Links carry the token in the #fragment, which
// browsers never send to a server, so it reaches no access log.
const PAGES = {
  setup: {
    title: 'Set up Lumio',
    intro: 'Create the owner account and your first workspace.',
    endpoint: '/api/v1/setup',
    fields: [
      ['email', 'Email', 'email'],
      ['password', 'Password (10+ characters)', 'password'],
      ['workspaceName', 'Workspace name', 'text'],
    ],
    done: 'Setup is done: you are signed in as the owner. The dashboard UI is on its way; meanwhile the README shows the API.',
  },
  invite: {
    title: 'Join a Lumio workspace',
    intro: 'Create your account to accept the invite.',
    endpoint: '/api/v1/invites/accept',
    fields: [
      ['email', 'Email', 'email'],
      ['password', 'Password (10+ characters)', 'password'],
      ['name', 'Your name', 'text'],
    ],
    done: 'You have joined the workspace.',
  },
  'reset-password': {
    title: 'Choose a new password',
    intro: 'This link works once.',
    endpoint: '/api/v1/auth/password-reset',
    fields: [['password', 'New password (10+ characters)', 'password']],
    done: 'Your password is changed and you are signed in.',
  },
} as const;

/** Serves the first-run pages at /app/setup, /app/invite and /app/reset-password. */
export function registerFirstRunPages(app: FastifyInstance): void {
  for (const [path, page] of Object.entries(PAGES)) {
    app.get(`/app/${path}`, { config: { lumio: { scope: 'public' } } }, async (_request, reply) =>
      reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .send(render(page)),
    );
  }
}

function render(page: (typeof PAGES)[keyof typeof PAGES]): string {
  const inputs = page.fields
    .map(
      ([name, label, type]) =>
        `<label>${label}<input name="${name}" type="${type}" required${type === 'password' ? ' minlength="10" autocomplete="new-password"' : ''}></label>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${page.title}</title>
<style>body{font:16px system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem;color:#1f2328}
label{display:block;margin:1rem 0}input{display:block;width:100%;padding:.5rem;margin-top:.25rem;font:inherit}
button{padding:.6rem 1.2rem;font:inherit;cursor:pointer}[role=alert]{color:#b42318}</style></head>
<body><main><h1>${page.title}</h1><p>${page.intro}</p>
<form>${inputs}<button type="submit">Continue</button></form><p role="alert" aria-live="polite"></p></main>
<script>
const form = document.querySelector('form'), status = document.querySelector('[role=alert]');
const token = new URLSearchParams(location.hash.slice(1)).get('token') || new URLSearchParams(location.search).get('token') || '';
history.replaceState(null, '', location.pathname);
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = Object.fromEntries(new FormData(form));
  body.token = token;
  const response = await fetch(${JSON.stringify(page.endpoint)}, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await response.json().catch(() => ({}));
  if (response.ok) { form.remove(); status.style.color = '#1a7f37'; status.textContent = ${JSON.stringify(page.done)}; }
  else status.textContent = (answer.error && answer.error.message) || 'Something went wrong.';
});
</script></body></html>`;
}
