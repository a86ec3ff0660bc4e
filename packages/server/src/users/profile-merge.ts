import { STANDARD_TRAITS, type PropertiesInput, type StandardTraits, type ValueSource } from '@lumio/protocol';

/** Re-exported for the server's own modules. */
export type { ValueSource };

const RANK: Record<ValueSource, number> = { unverified: 1, claimed: 2, trusted: 3 };

/** A user's stored profile: standard traits, custom properties, and each value's source. */
export interface StoredProfile {
  name: string | null;
  email: string | null;
  birthday: string | null;
  gender: string | null;
  properties: Record<string, unknown>;
  /** Keyed `name`, `email`, … for traits and `properties.<key>` for properties. */
  sources: Record<string, ValueSource>;
}

/** An empty profile. */
export function emptyProfile(): StoredProfile {
  return { name: null, email: null, birthday: null, gender: null, properties: {}, sources: {} };
}

/**
 * Merges an update into a stored profile: values are set, `null` unsets, and a
 * value held by a stronger source is left alone. Returns the merged profile and
 * whether anything changed (so an unchanged repeat identify writes nothing).
 */
export function mergeProfile(
  stored: StoredProfile,
  update: { traits: StandardTraits; properties: PropertiesInput },
  source: ValueSource,
): { profile: StoredProfile; changed: boolean } {
  const next: StoredProfile = { ...stored, properties: { ...stored.properties }, sources: { ...stored.sources } };
  let changed = false;
  const allowed = (sourceKey: string) => {
    const held = next.sources[sourceKey];
    return held === undefined || RANK[held] <= RANK[source];
  };
  for (const trait of STANDARD_TRAITS) {
    const value = update.traits[trait];
    if (value === undefined || !allowed(trait)) continue;
    if (next[trait] !== value || (value !== null && next.sources[trait] !== source)) changed = true;
    next[trait] = value;
    if (value === null) delete next.sources[trait];
    else next.sources[trait] = source;
  }
  for (const [key, value] of Object.entries(update.properties)) {
    const sourceKey = `properties.${key}`;
    if (!allowed(sourceKey)) continue;
    if (value === null) {
      if (key in next.properties) changed = true;
      delete next.properties[key];
      delete next.sources[sourceKey];
      continue;
    }
    if (!sameValue(next.properties[key], value) || next.sources[sourceKey] !== source) changed = true;
    next.properties[key] = value;
    next.sources[sourceKey] = source;
  }
  return { profile: next, changed };
}

/** The part of a profile written by sources no stronger than `source` (what an unverified session may read). */
export function profileVisibleTo(profile: StoredProfile, source: ValueSource): Omit<StoredProfile, 'sources'> {
  const visible = (key: string) => {
    const held = profile.sources[key];
    return held !== undefined && RANK[held] <= RANK[source];
  };
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(profile.properties)) if (visible(`properties.${key}`)) properties[key] = value;
  return {
    name: visible('name') ? profile.name : null,
    email: visible('email') ? profile.email : null,
    birthday: visible('birthday') ? profile.birthday : null,
    gender: visible('gender') ? profile.gender : null,
    properties,
  };
}

/**
 * What a browser session may read back of its user's profile (`GET /me`).
 * A verified session reads the standard traits whatever their source, and of
 * the custom properties those the browser itself claimed; a value the host's
 * backend set (server API, signed token: `trusted`) only when the workspace
 * lists its key browser-visible. An unverified claimant (`identified`)
 * reads only what unverified sessions wrote, whatever the list says: anyone
 * may claim a userId. Targeting and analytics read the whole profile, not this.
 */
export function profileForBrowser(
  profile: StoredProfile,
  state: 'verified' | 'identified',
  browserVisibleKeys: ReadonlySet<string>,
): Omit<StoredProfile, 'sources'> {
  if (state !== 'verified') return profileVisibleTo(profile, 'unverified');
  const { sources: _sources, ...everything } = profile;
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(profile.properties)) {
    // Named sources only: a value of no known source is the backend's until proven otherwise.
    const source = profile.sources[`properties.${key}`];
    if (source === 'claimed' || source === 'unverified' || browserVisibleKeys.has(key)) properties[key] = value;
  }
  return { ...everything, properties };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => item === b[i]);
  return a === b;
}
