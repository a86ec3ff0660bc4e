import type { StoredEvent } from '@lumio/protocol';

/**
 * How a user's timeline names an event, when plain words say more than its
 * name: an identify by outcome, and a failed one as the attempt it was
 * ("identify as bob failed"), so an attempt to be someone else never reads
 * as something this user did as themselves. Null for any other event.
 */
export function eventLabel(event: Pick<StoredEvent, 'name' | 'props'>): string | null {
  if (event.name !== '$identify') return null;
  const { outcome, reason, attemptedUserId } = event.props;
  if (outcome !== 'failed') return typeof outcome === 'string' ? `identify (${outcome})` : null;
  const who = typeof attemptedUserId === 'string' ? ` as ${attemptedUserId}` : '';
  return `identify${who} failed${typeof reason === 'string' ? ` (${reason})` : ''}`;
}
