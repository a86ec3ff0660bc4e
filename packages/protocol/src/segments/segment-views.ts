import type { Condition } from '@lumio/targeting';

/** Which stored values a condition reads: every value, or only those from a trusted source (signed token, server API). */
export type PropertiesView = 'all' | 'trusted';

/** A saved segment as the API shows it. */
export interface SegmentView {
  id: string;
  name: string;
  description: string;
  condition: Condition;
  /** The condition in plain words ("plan is free and role is admin or owner"), written by the server. */
  summary: string;
  createdAt: number;
  updatedAt: number;
}

/** `GET …/segments`: by name. */
export interface SegmentsAnswer {
  segments: SegmentView[];
}

/** Who matches a condition now: how many stored users, and a few of them. */
export interface AudienceView {
  count: number;
  /** Up to 10 matching users, most recently seen first. */
  sample: Array<{ userId: string; name: string | null; email: string | null; trust: string; lastSeenAt: number | null }>;
}
