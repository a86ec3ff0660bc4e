import crypto from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DIALECTS, type TestApp } from '../test-support/test-app.js';
import { call, createWidget, identify, setupOwner, sign, startSession, type Session } from '../test-support/api-helpers.js';
import { insertWebhookEndpoint, startWebhookReceiver, type WebhookReceiver } from '../test-support/webhook-receiver.js';
import { recordWebhookEvent } from './webhook-outbox.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { requeueDelivery } from './webhook-deliveries.js';
import { openWebhookSecret } from './webhook-signature.js';
import { reencryptSecrets } from '../cli/rotate-master-key.js';
import { decodeMasterKey } from '../crypto/master-key.js';
import { SecretBox } from '../crypto/secret-box.js';

// Verifies a delivery as a receiver would (docs/webhooks.md), independently of webhook-signature.ts.
function verify(secret: string, header: string, body: string): { t: number; ok: boolean } {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  const mac = crypto.createHmac('sha256', secret).update(`${parts.t}.${body}`).digest('hex');
  return { t: Number(parts.t), ok: parts.v1 === mac };
}

for (const dialect of DIALECTS) {
  describe(`webhook delivery (${dialect})`, () => {
    let t: TestApp;
    let ws: string;
    let owner: Session;
    let receiver: WebhookReceiver;
    const extra: WebhookDispatcher[] = [];
    const json = (v: unknown) => t.adapter.json(v);

    beforeAll(async () => {
      t = await createTestApp(dialect, { env: { LUMIO_WEBHOOK_ALLOW_PRIVATE: 'true', LUMIO_WEBHOOK_DELIVERY: 'true' } });
      owner = await setupOwner(t);
      ws = owner.workspaceId;
    });
    afterAll(async () => t?.close());
    afterEach(async () => {
      // The first test is the server's own dispatcher's; later ones drive their own.
      await t.services.webhooks.stop();
      for (const d of extra.splice(0)) await d.stop();
      await receiver?.close();
      // Each test starts with an empty outbox.
      await t.deps.db.deleteFrom('webhook_endpoints').execute();
      await t.deps.db.deleteFrom('webhook_events').execute();
    });

    const record = (type: 'user.created' | 'user.updated' = 'user.created', data: Record<string, unknown> = { user: { id: 'u1' } }) =>
      t.deps.db.transaction().execute((trx) => recordWebhookEvent(trx, ws, type, data, t.clock.now()));
    const deliveries = () => t.deps.db.selectFrom('webhook_deliveries').selectAll().orderBy('created_at').execute();
    const dispatcher = (options: ConstructorParameters<typeof WebhookDispatcher>[1] = {}) => {
      const d = new WebhookDispatcher(t.deps, options);
      extra.push(d);
      return d;
    };

    it("the server's own dispatcher sends a recorded event within about a second, signed with the endpoint's secret", async () => {
      receiver = await startWebhookReceiver();
      const endpoint = await insertWebhookEndpoint(t.deps.db, t.deps.secretBox, ws, receiver.url, { json });
      const eventId = await record('user.created', { user: { id: 'u1', name: 'Ada Lovelace ✓' } });
      await expect.poll(() => receiver.receipts.length, { timeout: 5000, interval: 50 }).toBe(1);
      const [receipt] = receiver.receipts;
      const event = await t.deps.db.selectFrom('webhook_events').selectAll().where('id', '=', eventId!).executeTakeFirstOrThrow();
      expect(receipt!.body).toBe(event.payload);
      expect(JSON.parse(receipt!.body)).toMatchObject({ id: eventId, type: 'user.created', version: 1, workspace_id: ws });
      expect(receipt!.headers).toMatchObject({
        'user-agent': 'Lumio-Webhooks/1',
        'lumio-event-id': eventId,
        'lumio-event-type': 'user.created',
        'content-type': 'application/json',
      });
      const checked = verify(endpoint.secret, receipt!.headers['lumio-signature'] as string, receipt!.body);
      expect(checked).toEqual({ t: Math.floor(t.clock.now() / 1000), ok: true });
      expect(verify('whsec_wrong', receipt!.headers['lumio-signature'] as string, receipt!.body).ok).toBe(false);
      await expect
        .poll(async () => (await deliveries())[0], { timeout: 2000 })
        .toMatchObject({ state: 'succeeded', attempts: 1, last_status: 200, last_error: null, locked_until: null });
    });

    it('retries after 500 answers on the backoff schedule, then succeeds; the event id stays the same', async () => {
      receiver = await startWebhookReceiver();
      receiver.answer = (_r, i) => (i < 2 ? 500 : 200);
      await insertWebhookEndpoint(t.deps.db, t.deps.secretBox, ws, receiver.url, { json });
      const d = dispatcher({ random: () => 0.5 });
      const eventId = await record();
      await d.runOnce();
      let [row] = await deliveries();
      expect(row).toMatchObject({ state: 'pending', attempts: 1, last_status: 500, locked_until: null });
      expect(row!.last_error).toContain('HTTP 500: receiver said 500');
      expect(Number(row!.next_attempt_at) - t.clock.now()).toBe(30_000);
      // Not due yet: nothing is sent.
      await d.runOnce();
      expect(receiver.receipts).toHaveLength(1);
      t.clock.advance(30_000);
      await d.runOnce();
      [row] = await deliveries();
      expect(row).toMatchObject({ state: 'pending', attempts: 2 });
      expect(Number(row!.next_attempt_at) - t.clock.now()).toBe(60_000);
      t.clock.advance(60_000);
      await d.runOnce();
      [row] = await deliveries();
      expect(row).toMatchObject({ state: 'succeeded', attempts: 3, last_status: 200, last_error: null, next_attempt_at: null });
      expect(receiver.receipts.map((r) => r.headers['lumio-event-id'])).toEqual([eventId, eventId, eventId]);
    });

    it(
      'cuts off a receiver that hangs and retries it, while identify and event ingestion answer as usual',
      { timeout: 40_000 },
      async () => {
        receiver = await startWebhookReceiver();
        let hang = true;
        receiver.answer = () => (hang ? 'hang' : 200);
        // user.updated only: the identify below tells user.created and user.verified, which this endpoint does not want.
        await insertWebhookEndpoint(t.deps.db, t.deps.secretBox, ws, receiver.url, { json, events: ['user.updated'] });
        const widget = await createWidget(t, owner);
        const d = dispatcher({ timeoutMs: 3000, pollMs: 50 });
        d.start();
        for (let i = 0; i < 4; i++) await record('user.updated');
        // Two hang at once (one endpoint's share of the slots); the server is not waiting on them.
        await expect.poll(() => receiver.receipts.length, { timeout: 3000, interval: 20 }).toBe(2);
        const session = await startSession(t, widget.widgetId);
        const started = performance.now();
        const identified = await identify(t, widget.widgetId, session.token, {
          userId: 'hang-user',
          signature: sign('hang-user', widget.secret),
        });
        const events = await call(t.app, {
          method: 'POST',
          url: `/widget/v1/${widget.widgetId}/events`,
          bearer: session.token,
          payload: { events: [{ id: `evt_hang_${crypto.randomBytes(6).toString('hex')}`, name: 'page_viewed', at: t.clock.now() }] },
        });
        const took = performance.now() - started;
        expect(identified.body.state).toBe('verified');
        expect(events.body).toMatchObject({ accepted: 1 });
        // Answered while both sends still hang (well within their 3 s timeout).
        expect(took).toBeLessThan(2500);
        expect((await deliveries()).filter((r) => r.attempts > 0)).toHaveLength(0);
        await expect
          .poll(async () => (await deliveries()).filter((r) => r.attempts === 1).length, { timeout: 15_000, interval: 100 })
          .toBe(4);
        for (const row of await deliveries()) {
          expect(row).toMatchObject({ state: 'pending', last_status: null, locked_until: null });
          expect(row.last_error).toMatch(/timed out/);
        }
        hang = false;
        t.clock.advance(60_000);
        await expect.poll(async () => (await deliveries()).every((r) => r.state === 'succeeded'), { timeout: 5000 }).toBe(true);
      },
    );

    it('gives up 24 hours after the event, having retried on the documented schedule', async () => {
      receiver = await startWebhookReceiver();
      receiver.answer = () => 503;
      await insertWebhookEndpoint(t.deps.db, t.deps.secretBox, ws, receiver.url, { json });
      const d = dispatcher({ random: () => 0.5 });
      const created = t.clock.now();
      await record();
      const attemptTimes: number[] = [];
      for (let guard = 0; guard < 100; guard++) {
        await d.runOnce();
        const [row] = await deliveries();
        attemptTimes.push(Number(row!.last_attempt_at) - created);
        if (row!.state !== 'pending') break;
        t.clock.current = Number(row!.next_attempt_at);
      }
      const minutes = attemptTimes.map((ms) => ms / 60_000);
      // 30 s doubling to 4 h, then every 4 h; the attempt past 24 h is made at 24 h.
      expect(minutes).toEqual([0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5, 63.5, 127.5, 255.5, 495.5, 735.5, 975.5, 1215.5, 1440]);
      const [row] = await deliveries();
      expect(row).toMatchObject({ state: 'failed', attempts: 15, last_status: 503, next_attempt_at: null, locked_until: null });
      expect(Number(row!.completed_at)).toBe(created + 24 * 3600_000);
      expect(receiver.receipts).toHaveLength(15);

      // A resend queues it again (in its own workspace only) and it goes out.
      expect(await requeueDelivery(t.deps.db, 'ws_someone_else', row!.id, t.clock.now())).toBe(false);
      receiver.answer = () => 200;
      expect(await requeueDelivery(t.deps.db, ws, row!.id, t.clock.now())).toBe(true);
      await d.runOnce();
      expect((await deliveries())[0]).toMatchObject({ state: 'succeeded', attempts: 16, last_status: 200 });
    });

    it('a graceful stop cuts off sends in flight and releases their leases', async () => {
      receiver = await startWebhookReceiver();
      receiver.answer = () => 'hang';
      await insertWebhookEndpoint(t.deps.db, t.deps.secretBox, ws, receiver.url, { json });
      const d = dispatcher({ pollMs: 50, shutdownGraceMs: 100 });
      d.start();
      await record();
      await expect.poll(() => receiver.receipts.length, { timeout: 3000 }).toBe(1);
      expect(Number((await deliveries())[0]!.locked_until)).toBeGreaterThan(t.clock.now());
      await d.stop();
      expect((await deliveries())[0]).toMatchObject({ state: 'pending', attempts: 0, locked_until: null });
    });

    it('a resend while an attempt is in flight is not overwritten by that attempt (its lease is gone)', async () => {
      receiver = await startWebhookReceiver();
      receiver.answer = () => 'hang';
      await insertWebhookEndpoint(t.deps.db, t.deps.secretBox, ws, receiver.url, { json });
      const d = dispatcher({ pollMs: 60_000, timeoutMs: 800, shutdownGraceMs: 0 });
      await record();
      d.start();
      await expect.poll(() => receiver.receipts.length, { timeout: 3000 }).toBe(1);
      const [row] = await deliveries();
      expect(await requeueDelivery(t.deps.db, ws, row!.id, t.clock.now())).toBe(true);
      // The timed-out attempt writes nothing (no backoff): the resend stands, due now, and goes out at once.
      await expect.poll(() => receiver.receipts.length, { timeout: 5000 }).toBe(2);
      expect((await deliveries())[0]).toMatchObject({ state: 'pending', attempts: 0, next_attempt_at: t.clock.now() });
      await d.stop();
      receiver.answer = () => 200;
      await d.runOnce();
      expect((await deliveries())[0]).toMatchObject({ state: 'succeeded', attempts: 1 });
    });

    it('a delivery to a disabled endpoint fails without being sent', async () => {
      receiver = await startWebhookReceiver();
      const endpoint = await insertWebhookEndpoint(t.deps.db, t.deps.secretBox, ws, receiver.url, { json });
      await record();
      await t.deps.db.updateTable('webhook_endpoints').set({ disabled_at: t.clock.now() }).where('id', '=', endpoint.id).execute();
      await dispatcher().runOnce();
      expect((await deliveries())[0]).toMatchObject({ state: 'failed', last_error: 'The endpoint is disabled' });
      expect(receiver.receipts).toHaveLength(0);
    });

    it('rotating the master key re-encrypts endpoint secrets, which still sign deliveries', async () => {
      receiver = await startWebhookReceiver();
      const endpoint = await insertWebhookEndpoint(t.deps.db, t.deps.secretBox, ws, receiver.url, { json });
      const newKey = crypto.randomBytes(32);
      await reencryptSecrets(t.adapter, decodeMasterKey(t.masterKey), newKey);
      const row = await t.deps.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', endpoint.id).executeTakeFirstOrThrow();
      expect(openWebhookSecret(new SecretBox(newKey), endpoint.id, row.secret_ciphertext)).toBe(endpoint.secret);
      await reencryptSecrets(t.adapter, newKey, decodeMasterKey(t.masterKey));
    });
  });

  describe(`webhook SSRF refusal at send time (${dialect})`, () => {
    let t: TestApp;
    let receiver: WebhookReceiver;
    beforeAll(async () => {
      t = await createTestApp(dialect, { env: { LUMIO_WEBHOOK_DELIVERY: 'false' } });
      receiver = await startWebhookReceiver();
    });
    afterAll(async () => {
      await receiver?.close();
      await t?.close();
    });

    it('fails a delivery to a loopback address at once with a clear error, without the setting', async () => {
      const ws = (await setupOwner(t)).workspaceId;
      const json = (v: unknown) => t.adapter.json(v);
      const port = new URL(receiver.url).port;
      await insertWebhookEndpoint(t.deps.db, t.deps.secretBox, ws, receiver.url, { json });
      await insertWebhookEndpoint(t.deps.db, t.deps.secretBox, ws, `http://localhost:${port}/hooks`, { json });
      await t.deps.db.transaction().execute((trx) => recordWebhookEvent(trx, ws, 'user.erased', { user: { id: 'u' } }, t.clock.now()));
      await new WebhookDispatcher(t.deps).runOnce();
      const rows = await t.deps.db.selectFrom('webhook_deliveries').selectAll().execute();
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row).toMatchObject({ state: 'failed', attempts: 1, next_attempt_at: null });
        expect(row.last_error).toMatch(/resolves to (127\.0\.0\.1|::1), a loopback address; .*LUMIO_WEBHOOK_ALLOW_PRIVATE=true/);
      }
      expect(receiver.receipts).toHaveLength(0);
    });
  });
}
