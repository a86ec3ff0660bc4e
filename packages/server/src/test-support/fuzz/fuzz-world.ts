import type { DialectName } from '../../db/dialects/dialect-adapter.js';
import { createTestApp, type TestApp } from '../test-app.js';
import { recordWebhookEvent } from '../../webhooks/webhook-outbox.js';
import { addMember, call, createApiKey, createWidget, identify, setupOwner, sign, startSession, type Session } from '../api-helpers.js';

/** One app and the fixtures every route's path params and credentials are filled from. */
export interface FuzzWorld {
  dialect: DialectName;
  t: TestApp;
  owner: Session;
  widgetToken: string;
  apiKey: string;
  /** A value for each path param name, e.g. `widgetId`; `keyId` differs by route (see paramValue). */
  ids: Record<string, string>;
  close(): Promise<void>;
}

// Limits high enough that a few thousand cases never meet a rate limit: a
// 429 depends on the wall clock, which would make the two apps disagree.
const UNLIMITED = {
  LUMIO_RATE_LOGIN_PER_IP: '1000000',
  LUMIO_RATE_LOGIN_PER_ACCOUNT: '1000000',
  LUMIO_RATE_IDENTIFY_PER_IP: '100000000',
  LUMIO_RATE_IDENTIFY_PER_WIDGET: '100000000',
  LUMIO_RATE_EVENT_BATCHES_PER_IP: '100000000',
};

/**
 * Builds an app on a dialect with the same fixtures as every other world:
 * a workspace and its owner, a member, a widget with a verified user and a
 * widget session, an API key, a segment, an announcement, a help collection
 * and a published article, an invite, a company with the user in it.
 */
export async function createFuzzWorld(dialect: DialectName): Promise<FuzzWorld> {
  const t = await createTestApp(dialect, { env: UNLIMITED });
  const ok = (what: string, res: { status: number; body: any }) => {
    if (res.status >= 300) throw new Error(`fuzz world (${dialect}): ${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const owner = await setupOwner(t);
  const member = await addMember(t, owner, 'member@example.com', 'member');
  const widget = await createWidget(t, owner);
  const session = await startSession(t, widget.widgetId, 'anon_fuzz_world_0001');
  const identified = ok(
    'identify',
    await identify(t, widget.widgetId, session.token, { userId: 'u1', signature: sign('u1', widget.secret) }),
  );
  const apiKey = await createApiKey(t, owner);
  // A company with u1 in it, for routes taking a companyId.
  ok(
    'company',
    await call(t.app, { method: 'PUT', url: '/server/v1/users/u1', bearer: apiKey, payload: { companies: [{ id: 'c1', name: 'Acme' }] } }),
  );
  const ws = `/api/v1/workspaces/${owner.workspaceId}`;
  const post = async (path: string, payload: object) =>
    ok(`POST ${path}`, await call(t.app, { method: 'POST', url: `${ws}${path}`, cookie: owner.cookie, payload }));
  const keys = ok('api keys', await call(t.app, { method: 'GET', url: `${ws}/api-keys`, cookie: owner.cookie }));
  const segment = await post('/segments', { name: 'Pro', condition: { plan: 'pro' } });
  const announcement = await post('/announcements', { kind: 'post', title: 'Hello', body: 'Hi **there**' });
  const collection = await post('/help/collections', { name: 'Basics' });
  const article = await post('/help/articles', { title: 'Start', body: 'Read me', collectionId: collection.id, status: 'published' });
  const invite = await post('/invites', { role: 'member' });
  const endpoint = await post('/webhooks', { url: 'https://hooks.example.com/world', events: ['*'] });
  // One delivery to read and resend; the dispatcher never reaches example.com in a test, so it stays in the log.
  await t.deps.db
    .transaction()
    .execute((trx) => recordWebhookEvent(trx, owner.workspaceId, 'user.created', { user: { id: 'u1' } }, t.clock.now()));
  const delivery = await t.deps.db
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('endpoint_id', '=', endpoint.id)
    .executeTakeFirstOrThrow();
  const invites = ok('invites', await call(t.app, { method: 'GET', url: `${ws}/invites`, cookie: owner.cookie }));
  return {
    dialect,
    t,
    owner,
    widgetToken: identified.token as string,
    apiKey,
    ids: {
      workspaceId: owner.workspaceId,
      accountId: member.accountId,
      widgetId: widget.widgetId,
      secretKeyId: widget.keyId,
      apiKeyId: firstId(keys, 'apiKeys'),
      segmentId: segment.id,
      announcementId: announcement.id,
      collectionId: collection.id,
      articleId: article.id,
      inviteId: firstId(invites, 'invites') ?? invite.id,
      endpointId: endpoint.id,
      deliveryId: delivery.id,
      userId: 'u1',
      companyId: 'c1',
      hash: 'deadbeef',
      '*': 'index.html',
    },
    close: () => t.close(),
  };
}

// Lists answer `{ <name>: [...] }` or a bare array, by route.
function firstId(body: any, name: string): string {
  const list = Array.isArray(body) ? body : (body?.[name] ?? body?.items ?? []);
  return String(list[0]?.id ?? 'missing');
}
