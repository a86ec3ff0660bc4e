import type { EventSubject, StoredEvent } from '@lumio/protocol';

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

const KINDS: Record<EventSubject['kind'], string> = { announcement: 'announcement', article: 'help article' };

/**
 * How a user's timeline names what an event is about: the announcement's or
 * article's title, or "deleted announcement" when it is gone (its id then
 * shows beside it). Null for an event about nothing nameable.
 */
export function eventSubjectLabel(subject: EventSubject | null): { text: string; kind: string; id: string; deleted: boolean } | null {
  if (!subject) return null;
  const kind = KINDS[subject.kind];
  return subject.title === null
    ? { text: `deleted ${kind}`, kind, id: subject.id, deleted: true }
    : { text: subject.title, kind, id: subject.id, deleted: false };
}
