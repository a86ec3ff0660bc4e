import crypto from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { TestApp } from './test-app.js';

/** A signed-in dashboard account in a workspace. */
export interface Session {
  cookie: string;
  accountId: string;
  workspaceId: string;
  email: string;
  password: string;
}

/** Default password used by test accounts. */
export const PASSWORD = 'correct horse battery staple';

/** Calls the app in-process; returns status and parsed JSON. */
export async function call(app: FastifyInstance, options: InjectOptions & { cookie?: string; bearer?: string }) {
  const headers: Record<string, string> = { ...(options.headers as Record<string, string> | undefined) };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  const response = await app.inject({ ...options, headers });
  let body: any = undefined;
  try {
    body = response.body ? JSON.parse(response.body) : undefined;
  } catch {
    body = response.body;
  }
  return { status: response.statusCode, body, headers: response.headers };
}

/** Calls a dashboard route of the session's workspace (`path` after /api/v1/workspaces/:id) as that session. */
export function workspaceApi(t: TestApp, s: Session) {
  return (method: string, path: string, payload?: unknown) =>
    call(t.app, {
      method: method as 'GET',
      url: `/api/v1/workspaces/${s.workspaceId}${path}`,
      cookie: s.cookie,
      payload: payload as object,
    });
}

/**
 * Runs a help center import to its end through the API: the POST's answer
 * when it is refused at once (bad files), else the finished job (`GET
 * …/help/import/:jobId` polled until it is no longer running).
 */
export async function importHelpCenter(api: ReturnType<typeof workspaceApi>, files: Array<{ path: string; content: string }>) {
  const started = await api('POST', '/help/import', { files });
  if (started.status !== 202) return started;
  for (;;) {
    const job = await api('GET', `/help/import/${started.body.jobId}`);
    if (job.body.status !== 'running') return job;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The `lumio_session=…` pair a response set (throws when it set none). */
export function cookieFrom(headers: Record<string, unknown>): string {
  const raw = headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : [raw];
  const found = list.find((c) => typeof c === 'string' && c.startsWith('lumio_session='));
  if (!found) throw new Error('no session cookie');
  return (found as string).split(';')[0]!;
}

/** Completes first-run setup; returns the owner's session. */
export async function setupOwner(t: TestApp, email = 'owner@example.com'): Promise<Session> {
  const token = await t.services.setup.issueToken();
  const res = await call(t.app, {
    method: 'POST',
    url: '/api/v1/setup',
    payload: { token, email, password: PASSWORD, workspaceName: 'Acme' },
  });
  if (res.status !== 201) throw new Error(`setup failed: ${JSON.stringify(res.body)}`);
  return { cookie: cookieFrom(res.headers), accountId: res.body.account.id, workspaceId: res.body.workspace.id, email, password: PASSWORD };
}

/** Another account with a workspace of its own, signed in: the outsider of tenant-isolation checks. */
export async function otherWorkspaceOwner(t: TestApp, email = 'other@example.com'): Promise<Session> {
  const account = await t.services.accounts.create({ email, password: PASSWORD });
  const workspace = await t.services.workspaces.create('Other', account.id, { type: 'cli', id: null, ip: null });
  return { cookie: await login(t, email), accountId: account.id, workspaceId: workspace.id, email, password: PASSWORD };
}

/** Signs in an existing account. */
export async function login(t: TestApp, email: string, password = PASSWORD): Promise<string> {
  const res = await call(t.app, { method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.status !== 200) throw new Error(`login failed: ${JSON.stringify(res.body)}`);
  return cookieFrom(res.headers);
}

/** Invites `email` into the owner's workspace with a role and signs them in. */
export async function addMember(t: TestApp, owner: Session, email: string, role: 'owner' | 'admin' | 'member'): Promise<Session> {
  const invite = await call(t.app, {
    method: 'POST',
    url: `/api/v1/workspaces/${owner.workspaceId}/invites`,
    cookie: owner.cookie,
    payload: { role },
  });
  if (invite.status !== 201) throw new Error(`invite failed: ${JSON.stringify(invite.body)}`);
  const accepted = await call(t.app, {
    method: 'POST',
    url: '/api/v1/invites/accept',
    payload: { token: invite.body.token, email, password: PASSWORD },
  });
  if (accepted.status !== 201) throw new Error(`accept failed: ${JSON.stringify(accepted.body)}`);
  return { cookie: await login(t, email), accountId: accepted.body.accountId, workspaceId: owner.workspaceId, email, password: PASSWORD };
}

/** Creates a widget; returns its id and first secret. */
export async function createWidget(t: TestApp, s: Session, body: Record<string, unknown> = {}) {
  const res = await call(t.app, {
    method: 'POST',
    url: `/api/v1/workspaces/${s.workspaceId}/widgets`,
    cookie: s.cookie,
    payload: { name: 'Web app', ...body },
  });
  if (res.status !== 201) throw new Error(`widget failed: ${JSON.stringify(res.body)}`);
  return {
    widgetId: res.body.id as string,
    keyId: res.body.signingSecret.keyId as string,
    secret: res.body.signingSecret.secret as string,
  };
}

/** Starts an anonymous widget session. */
export async function startSession(t: TestApp, widgetId: string, anonymousId = `anon_${crypto.randomBytes(8).toString('hex')}`) {
  const res = await call(t.app, { method: 'POST', url: `/widget/v1/${widgetId}/session`, payload: { anonymousId } });
  if (res.status !== 200) throw new Error(`session failed: ${JSON.stringify(res.body)}`);
  return { token: res.body.token as string, anonymousId };
}

/** Calls identify with a session token. */
export function identify(t: TestApp, widgetId: string, token: string, payload: Record<string, unknown>) {
  return call(t.app, { method: 'POST', url: `/widget/v1/${widgetId}/identify`, bearer: token, payload });
}

/** Hex HMAC-SHA256 of a userId, as a host server computes it. */
export function sign(userId: string, secret: string): string {
  return crypto.createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

/** Creates a workspace API key. */
export async function createApiKey(t: TestApp, s: Session): Promise<string> {
  const res = await call(t.app, {
    method: 'POST',
    url: `/api/v1/workspaces/${s.workspaceId}/api-keys`,
    cookie: s.cookie,
    payload: { name: 'backend' },
  });
  if (res.status !== 201) throw new Error(`api key failed: ${JSON.stringify(res.body)}`);
  return res.body.key;
}
