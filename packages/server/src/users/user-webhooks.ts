import { STANDARD_TRAITS } from '@lumio/protocol';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { recordWebhookEvent, webhookEndpointsOf } from '../webhooks/webhook-outbox.js';
import type { UserView } from './users-store.js';

/** A user as the `user.*` webhook payloads show it (docs/webhooks.md). */
export function userPayload(user: UserView): Record<string, unknown> {
  return {
    id: user.userId,
    name: user.name,
    email: user.email,
    trust: user.trust,
    properties: user.properties,
    created_at: new Date(user.createdAt).toISOString(),
    updated_at: new Date(user.updatedAt).toISOString(),
  };
}

/** The profile keys whose value differs (`name`, `properties.plan`, …), sorted: a source that changed alone is no change. */
export function changedKeys(before: UserView, after: UserView): string[] {
  const changed: string[] = [];
  for (const trait of STANDARD_TRAITS) if (before[trait] !== after[trait]) changed.push(trait);
  const keys = new Set([...Object.keys(before.properties), ...Object.keys(after.properties)]);
  for (const key of keys) if (!sameValue(before.properties[key], after.properties[key])) changed.push(`properties.${key}`);
  return changed.sort();
}

/**
 * Records the `user.*` webhook events of one change of a user, in the
 * caller's transaction: `user.created` for a new user, else `user.updated`
 * with the changed keys (only when a value changed, or `mergedFrom` is
 * given), and `user.verified` when its trust rose to verified. Nothing, and
 * no read, when nothing is to be told.
 */
export async function recordUserChange(
  db: Kysely<Database>,
  workspaceId: string,
  before: UserView | null,
  after: UserView,
  now: number,
  mergedFrom?: string,
): Promise<void> {
  const merged = mergedFrom === undefined ? {} : { merged_from: mergedFrom };
  const events: Array<[type: 'user.created' | 'user.updated' | 'user.verified', data: Record<string, unknown>]> = [];
  const user = userPayload(after);
  if (!before) events.push(['user.created', { user, ...merged }]);
  else {
    const changed = changedKeys(before, after);
    if (changed.length > 0 || mergedFrom !== undefined) events.push(['user.updated', { user, changed, ...merged }]);
  }
  if (after.trust === 'verified' && before?.trust !== 'verified') events.push(['user.verified', { user }]);
  if (events.length === 0) return;
  const endpoints = await webhookEndpointsOf(db, workspaceId);
  for (const [type, data] of events) await recordWebhookEvent(db, workspaceId, type, data, now, endpoints);
}

/** Records `user.erased` in the erasing transaction: the payload names the id only. */
export async function recordUserErased(db: Kysely<Database>, workspaceId: string, userId: string, now: number): Promise<void> {
  await recordWebhookEvent(db, workspaceId, 'user.erased', { user: { id: userId } }, now);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => item === b[i]);
  return a === b;
}
