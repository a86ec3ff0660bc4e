import type { Condition } from './condition.js';
import { resolveSegment } from './resolve-segment.js';

// NOTE: company attributes are a Lumio extension of the language: validate-condition.ts
// checks the paths, compile-condition.ts and the server's condition-sql.ts read them
// ("some company of the user"), describe-condition.ts says them.

/**
 * The attribute that holds a user's companies for the JavaScript evaluator:
 * a list of {@link TargetedCompany}. `@` is in no property key and no
 * condition path, so no custom property can stand in for it and no condition
 * reads it other than through `company.<key>`.
 */
export const COMPANIES_ATTRIBUTE = '@companies';

/** One of a user's companies as the evaluator reads it: `company.id`, `company.name`, `company.<property>`. */
export interface TargetedCompany {
  id: string;
  name: string | null;
  properties: Record<string, unknown>;
}

const PREFIX = 'company.';

/**
 * The company attribute a path reads (`company.plan` → `{ key: 'plan', rest: [] }`,
 * `company.tags.0` → `{ key: 'tags', rest: ['0'] }`); undefined for any other
 * path. `company` alone is an ordinary attribute (a custom property of that name).
 */
export function companyPath(path: string): { key: string; rest: string[] } | undefined {
  if (!path.startsWith(PREFIX)) return undefined;
  const [key, ...rest] = path.slice(PREFIX.length).split('.');
  return { key: key!, rest };
}

/**
 * Whether a validated condition reads any `company.<key>`, through its
 * segments too, so a caller loads a user's companies only when they count.
 * An unknown segment or a cycle is left to the compilers to refuse.
 *
 * @example readsCompanies({ 'company.plan': 'enterprise' }) // true
 */
export function readsCompanies(condition: Condition, options: { segment?: (id: string) => Condition | undefined } = {}): boolean {
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
    } else if (companyPath(key) !== undefined) return true;
  }
  return false;
}
