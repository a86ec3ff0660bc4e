import type { StoredEvent } from '../analytics/stored-event.js';
import type { UserRecord } from '../identity/user-record.js';
import type { UserInterests } from './interest-views.js';

/** `GET …/users` and `POST …/users/search`: a page of users by userId; the next page is `cursor: nextCursor`. */
export interface UsersAnswer {
  users: UserRecord[];
  nextCursor: string | null;
}

/** `GET …/users/:userId`: a user with how many anonymous ids (browsers) are linked to them. */
export interface UserProfile {
  user: UserRecord;
  anonymousIds: number;
  /** The user's interest profile (docs/analytics.md, "Interest profiles"). */
  interests: UserInterests;
}

/**
 * What an event of a user's timeline is about, by name: the announcement or
 * article its object is. `title` is null when that id names nothing in the
 * workspace any more (deleted).
 */
export interface EventSubject {
  kind: 'announcement' | 'article';
  id: string;
  title: string | null;
}

/** One event of a user's timeline: the stored event and, for an announcement's or article's event, what it is about. */
export interface UserEventView extends StoredEvent {
  subject: EventSubject | null;
}

/** `GET …/users/:userId/events`: newest first; the next page is `?before=nextBefore`. */
export interface UserEventsAnswer {
  events: UserEventView[];
  nextBefore: number | null;
}
