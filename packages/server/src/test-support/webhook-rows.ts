import type { TestApp } from './test-app.js';

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
