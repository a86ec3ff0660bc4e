import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../test-support/test-app.js';
import { setupOwner, workspaceApi, type Session } from '../test-support/api-helpers.js';
import { recordWebhookEvent } from './webhook-outbox.js';

for (const dialect of DIALECTS) {
  describe(`webhook delivery log and resend [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let api: ReturnType<typeof workspaceApi>;
    let endpointId: string;
    let otherEndpointId: string;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      api = workspaceApi(t, owner);
      endpointId = (await api('POST', '/webhooks', { url: 'https://hooks.example.com/a', events: ['*'] })).body.id;
      otherEndpointId = (await api('POST', '/webhooks', { url: 'https://hooks.example.com/b', events: ['user.erased'] })).body.id;
    });
    afterAll(async () => t?.close());

    const emit = async (type: 'user.created' | 'user.erased', userId: string) => {
      t.clock.advance(1000);
      return t.deps.db
        .transaction()
        .execute((trx) => recordWebhookEvent(trx, owner.workspaceId, type, { user: { id: userId } }, t.clock.now()));
    };
    const deliveriesOf = (id: string, query = '') => api('GET', `/webhooks/${id}/deliveries${query}`);
    const setState = (eventId: string, state: string, extra: Record<string, unknown> = {}) =>
      t.deps.db
        .updateTable('webhook_deliveries')
        .set({ state, ...extra })
        .where('event_id', '=', eventId)
        .where('endpoint_id', '=', endpointId)
        .execute();

    it('lists an endpoint’s deliveries newest first with the event, its state and the exact payload', async () => {
      const first = await emit('user.created', 'ada');
      const second = await emit('user.erased', 'bob');
      const log = await deliveriesOf(endpointId);
      expect(log.status).toBe(200);
      expect(log.body.deliveries.map((d: { eventId: string }) => d.eventId)).toEqual([second, first]);
      expect(log.body.deliveries[1]).toMatchObject({
        eventId: first,
        eventType: 'user.created',
        state: 'pending',
        attempts: 0,
        lastStatus: null,
        lastError: null,
        nextAttemptAt: t.clock.now() - 1000,
        payload: { id: first, type: 'user.created', version: 1, workspace_id: owner.workspaceId, data: { user: { id: 'ada' } } },
      });
      // The other endpoint wants user.erased only.
      const other = await deliveriesOf(otherEndpointId);
      expect(other.body.deliveries.map((d: { eventId: string }) => d.eventId)).toEqual([second]);
    });

    it('narrows by state and pages with a cursor; a forged cursor or state is a 400', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await emit('user.created', `p${i}`))!);
      await setState(ids[0]!, 'failed', { attempts: 12, last_status: 500, last_error: 'HTTP 500', completed_at: t.clock.now() });
      await setState(ids[1]!, 'succeeded', { attempts: 1, last_status: 204, completed_at: t.clock.now() });
      const failed = await deliveriesOf(endpointId, '?state=failed');
      expect(failed.body.deliveries).toEqual([
        expect.objectContaining({
          eventId: ids[0],
          state: 'failed',
          attempts: 12,
          lastStatus: 500,
          lastError: 'HTTP 500',
          nextAttemptAt: null,
        }),
      ]);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { deliveries: Array<{ id: string }>; nextCursor: string | null } } = await deliveriesOf(
          endpointId,
          `?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.body.deliveries.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.deliveries.map((d) => d.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      const all = (await deliveriesOf(endpointId, '?limit=200')).body.deliveries.map((d: { id: string }) => d.id);
      expect(seen).toEqual(all);
      expect(all.length).toBe(7);
      for (const query of [
        '?cursor=not-a-cursor',
        `?cursor=${Buffer.from('[1,"a\\u0000b"]').toString('base64url')}`,
        '?state=lost',
        '?limit=0',
      ]) {
        const res = await deliveriesOf(endpointId, query);
        expect(res.status, query).toBe(400);
        expect(res.body.error.code).toBe('invalid_request');
      }
    });

    it('resends a finished delivery as a new pending one of the same event; the old row stays; audited', async () => {
      const eventId = (await emit('user.created', 'resend-me'))!;
      await setState(eventId, 'failed', { attempts: 12, last_status: 503, completed_at: t.clock.now() });
      const old = (await deliveriesOf(endpointId, '?state=failed')).body.deliveries.find((d: { eventId: string }) => d.eventId === eventId);
      t.clock.advance(5000);
      const resent = await api('POST', `/webhooks/${endpointId}/deliveries/${old.id}/resend`, {});
      expect(resent.status).toBe(202);
      expect(resent.body).toMatchObject({ eventId, state: 'pending', attempts: 0, nextAttemptAt: t.clock.now(), createdAt: t.clock.now() });
      expect(resent.body.id).not.toBe(old.id);
      expect(resent.body.payload).toEqual(old.payload);
      const rows = await t.deps.db
        .selectFrom('webhook_deliveries')
        .select(['id', 'state'])
        .where('event_id', '=', eventId)
        .where('endpoint_id', '=', endpointId)
        .execute();
      expect(rows.map((r) => r.state).sort()).toEqual(['failed', 'pending']);
      // Resending again while that copy waits makes it due now instead of queueing another.
      t.clock.advance(1000);
      const again = await api('POST', `/webhooks/${endpointId}/deliveries/${old.id}/resend`, {});
      expect(again.body).toMatchObject({ id: resent.body.id, nextAttemptAt: t.clock.now() });
      const after = await t.deps.db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('event_id', '=', eventId)
        .where('endpoint_id', '=', endpointId)
        .execute();
      expect(after).toHaveLength(2);
      const audit = await t.deps.db
        .selectFrom('audit_log')
        .selectAll()
        .where('workspace_id', '=', owner.workspaceId)
        .where('action', '=', 'webhook.resend')
        .execute();
      expect(audit).toHaveLength(2);
      expect(audit[0]).toMatchObject({ target_type: 'webhook', target_id: endpointId, actor_id: owner.accountId });
      expect(JSON.stringify(audit[0]!.details)).toContain(old.id);
    });

    it('refuses a resend to a disabled endpoint (409), and a delivery of another endpoint (404)', async () => {
      const eventId = (await emit('user.erased', 'x'))!;
      const delivery = (await deliveriesOf(otherEndpointId)).body.deliveries.find((d: { eventId: string }) => d.eventId === eventId);
      // The delivery belongs to the other endpoint: not reachable through this one.
      const crossed = await api('POST', `/webhooks/${endpointId}/deliveries/${delivery.id}/resend`, {});
      expect(crossed.status).toBe(404);
      await api('PATCH', `/webhooks/${otherEndpointId}`, { enabled: false });
      const disabled = await api('POST', `/webhooks/${otherEndpointId}/deliveries/${delivery.id}/resend`, {});
      expect(disabled.status).toBe(409);
      expect(disabled.body.error.code).toBe('webhook_endpoint_disabled');
      await api('PATCH', `/webhooks/${otherEndpointId}`, { enabled: true });
      expect((await api('POST', `/webhooks/${otherEndpointId}/deliveries/whd_nope/resend`, {})).status).toBe(404);
      expect((await deliveriesOf('whe_nope')).status).toBe(404);
    });
  });
}
