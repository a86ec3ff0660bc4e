/** Kinds of sensitive data a custom property looks like it holds. */
export type ValueFlag = 'email' | 'token' | 'phone' | 'url' | 'personal';

/** One profile key of a workspace's property catalogue. */
export interface PropertyCatalogueEntry {
  /** The attribute as conditions read it: `email`, `plan`, or `company.plan` for a company's. */
  key: string;
  /** `company`: an attribute of the user's companies (`company.id`, `company.name`, `company.<property>`). */
  kind: 'trait' | 'property' | 'company';
  /** Kinds of value seen: 'string', 'number', 'boolean', 'date' (an ISO date string) or 'list'. */
  types: string[];
  /** When a profile state with this key was first and last recorded (epoch ms). */
  firstSeenAt: number;
  lastSeenAt: number;
  /** Distinct values seen: exact below 256, estimated (about ±6 %) above. */
  distinctEstimate: number;
  /** More than 1,000 distinct values (the server's HIGH_CARDINALITY_THRESHOLD): too many to break reports down by. */
  highCardinality: boolean;
  /** What some values of a custom property looked like (traits are not flagged: an email trait holds emails). */
  flags: ValueFlag[];
}

/** `GET …/analytics/properties`. */
export interface PropertyCatalogueAnswer {
  properties: PropertyCatalogueEntry[];
}
