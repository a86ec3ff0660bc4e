import type { Condition } from './condition.js';
import { resolveSegment } from './resolve-segment.js';

// NOTE: interest levels are a Lumio extension of the language (GrowthBook has
// no counterpart): validate-condition.ts checks the paths, compile-condition.ts
// and the server's condition-sql.ts read them, describe-condition.ts says them.

/** The attribute that holds a person's interest levels by topic: `{ interests: { billing: 0.7 } }`. */
export const INTERESTS_ATTRIBUTE = 'interests';

/**
 * A topic key, as the server's `topicKey()` writes them (collection slugs and
 * article tags): lower-case letters, digits, `-` and `_`, at most 64 characters.
 */
export const TOPIC_KEY = /^[a-z0-9_-]{1,64}$/;

const PREFIX = `${INTERESTS_ATTRIBUTE}.`;

/**
 * The topic of an attribute path that reads an interest level (`interests.billing` → `billing`);
 * undefined for any other path. The topic is not checked here: validateCondition does that.
 */
export function interestTopic(path: string): string | undefined {
  if (path === INTERESTS_ATTRIBUTE) return '';
  return path.startsWith(PREFIX) ? path.slice(PREFIX.length) : undefined;
}

/**
 * Whether a validated condition reads any `interests.<topic>`, through its
 * segments too, so a caller loads interest levels only when they count. An
 * unknown segment or a cycle is left to the compilers to refuse.
 *
 * @example readsInterests({ 'interests.billing': { $gte: 0.5 } }) // true
 */
export function readsInterests(condition: Condition, options: { segment?: (id: string) => Condition | undefined } = {}): boolean {
  return reads(condition, options.segment, []);
}

function reads(condition: Condition, segment: ((id: string) => Condition | undefined) | undefined, stack: string[]): boolean {
  for (const [key, value] of Object.entries(condition)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (Array.isArray(value) && value.some((item) => reads(item as Condition, segment, stack))) return true;
    } else if (key === '$not') {
      if (reads(value as Condition, segment, stack)) return true;
    } else if (key === '$segment') {
      let resolved: Condition;
      try {
        resolved = resolveSegment(value as string, stack, segment);
      } catch {
        continue;
      }
      if (reads(resolved, segment, [...stack, value as string])) return true;
    } else if (interestTopic(key) !== undefined) return true;
  }
  return false;
}
