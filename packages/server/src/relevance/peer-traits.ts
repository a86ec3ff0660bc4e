import type { Attributes } from '@lumio/targeting';

/** A trait two people can share: a key and a value of their profiles. */
export interface PeerTrait {
  key: string;
  value: string;
}

/** The most traits of one person that count toward (or read) the "people like you" aggregates. */
export const MAX_PEER_TRAITS = 16;
/** The longest trait value that counts: longer values (free text, ids) would not group people anyway. */
export const MAX_PEER_TRAIT_VALUE = 64;

// Personal or unique values, never a group of people alike.
const EXCLUDED = new Set(['userId', 'trust', 'name', 'email', 'birthday']);

/**
 * The traits of a person for "people like you": custom properties and gender
 * whose value is a short string or a boolean (numbers, dates and lists are
 * left out: they rarely name a group). At most {@link MAX_PEER_TRAITS}, by key.
 * The same function builds the aggregates and reads them, so both agree.
 */
export function peerTraits(attributes: Attributes): PeerTrait[] {
  const out: PeerTrait[] = [];
  for (const key of Object.keys(attributes).sort()) {
    if (EXCLUDED.has(key) || key.length > MAX_PEER_TRAIT_VALUE) continue;
    const raw = attributes[key];
    const value = typeof raw === 'boolean' ? String(raw) : typeof raw === 'string' ? raw : null;
    if (value === null || value === '' || value.length > MAX_PEER_TRAIT_VALUE) continue;
    out.push({ key, value });
    if (out.length === MAX_PEER_TRAITS) break;
  }
  return out;
}

/** The group of everyone (verified) in a workspace, for "most helpful" when nothing is known of the viewer. */
export const EVERYONE: PeerTrait = { key: '$all', value: '' };
