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

/** `GET …/users/:userId/events`: newest first; the next page is `?before=nextBefore`. */
export interface UserEventsAnswer {
  events: StoredEvent[];
  nextBefore: number | null;
}
