import type { UserEventView } from '@lumio/protocol';
import { eventSubjectLabel } from './event-label.js';

/** What an event is about: an announcement or article by its title, its id on hover; one deleted since says so, with its id in plain sight. */
export function EventAbout({ event }: { event: UserEventView }) {
  const about = eventSubjectLabel(event.subject);
  if (!about) return <>{event.object ?? '—'}</>;
  return about.deleted ? (
    <>
      {about.text} <span className="muted">({about.id})</span>
    </>
  ) : (
    <span title={`${about.kind} ${about.id}`}>{about.text}</span>
  );
}
