import type { Condition } from '@lumio/targeting';

// NOTE: keep in step with packages/server/src/segments/segments-service.ts
// (SegmentView, Audience) and analytics/property-catalogue.ts.

/** A saved segment as the API shows it. */
export interface SegmentView {
  id: string;
  name: string;
  description: string;
  condition: Condition;
  /** The condition in plain words, written by the server. */
  summary: string;
  createdAt: number;
  updatedAt: number;
}

/** Who matches a condition now: how many stored users, and a few of them. */
export interface AudienceView {
  count: number;
  sample: Array<{ userId: string; name: string | null; email: string | null; trust: string; lastSeenAt: number | null }>;
}

/** One key of the workspace's property catalogue (`GET …/analytics/properties`). */
export interface PropertyCatalogueEntry {
  key: string;
  kind: 'trait' | 'property';
  types: string[];
  highCardinality: boolean;
}

/** Which stored values a condition reads: every value, or only those from a trusted source. */
export type PropertiesView = 'all' | 'trusted';

/** The query key of a workspace's segments (the list, the pickers). */
export function segmentsKey(workspaceId: string) {
  return ['segments', workspaceId] as const;
}
