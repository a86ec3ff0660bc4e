import crypto from 'node:crypto';
import type { TestApp } from './test-app.js';

/** Inserts an enabled webhook endpoint row of a workspace wanting `events` (the secret is never used here). */
export async function insertWebhookEndpoint(t: TestApp, workspaceId: string, events: string[]): Promise<string> {
  const id = `whe_${crypto.randomBytes(8).toString('hex')}`;
  const now = t.clock.now();
  await t.deps.db
    .insertInto('webhook_endpoints')
    .values({
      id,
      workspace_id: workspaceId,
      url: 'https://receiver.example.com/hook',
      events: t.adapter.json(events) as never,
      secret_ciphertext: 'not-a-real-ciphertext',
      created_by: null,
      created_at: now,
      updated_at: now,
      disabled_at: null,
    })
    .execute();
  return id;
}

/** A workspace's outbox rows of one type, oldest first, with their parsed payloads and deliveries. */
export async function webhookEventsOf(t: TestApp, workspaceId: string, type: string) {
  const events = await t.deps.db
    .selectFrom('webhook_events')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('type', '=', type)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const out = [];
  for (const event of events) {
    const deliveries = await t.deps.db
      .selectFrom('webhook_deliveries')
      .select(['endpoint_id', 'state', 'workspace_id'])
      .where('event_id', '=', event.id)
      .execute();
    out.push({ id: event.id, payload: JSON.parse(event.payload) as Record<string, any>, deliveries });
  }
  return out;
}
