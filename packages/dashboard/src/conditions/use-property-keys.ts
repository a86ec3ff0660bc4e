import type { PropertyCatalogueAnswer, PropertyCatalogueEntry } from '@lumio/protocol';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../api/api-client.js';

/** Attributes every user has, whatever the catalogue holds (DESIGN.md: traits, userId, trust). */
export const STANDARD_ATTRIBUTES = ['name', 'email', 'birthday', 'gender', 'userId', 'trust'] as const;

/**
 * Attribute names to suggest in the rule builder: the standard ones, then the
 * custom properties the workspace's users have had, then their companies'
 * attributes as `company.<key>` (the property catalogue).
 * The catalogue is a suggestion only: without it, any key can still be typed.
 */
export function usePropertyKeys(workspaceId: string): {
  keys: string[];
  catalogue: PropertyCatalogueEntry[];
  values: Record<string, string[]>;
} {
  const query = useQuery({ ...propertyCatalogueQuery(workspaceId), retry: false });
  const catalogue = query.data ?? [];
  return { keys: attributeKeys(catalogue), catalogue, values: catalogueValueSuggestions(catalogue) };
}

/** Attributes every company has: a condition on `company.<key>` holds when any of the user's companies matches (docs/companies.md). */
export const COMPANY_ATTRIBUTES = ['company.id', 'company.name'] as const;

/**
 * The attribute names to suggest, in order: the standard ones, the users'
 * custom properties, then the companies' (`company.<key>`): a catalogue entry
 * keyed `company.…`, or of kind `company` keyed by the bare property name.
 */
export function attributeKeys(catalogue: readonly PropertyCatalogueEntry[]): string[] {
  const standard: readonly string[] = STANDARD_ATTRIBUTES;
  const custom = new Set<string>();
  const company = new Set<string>(COMPANY_ATTRIBUTES);
  for (const entry of catalogue) {
    if (entry.kind === 'company') company.add(entry.key.startsWith('company.') ? entry.key : `company.${entry.key}`);
    else if (entry.key.startsWith('company.')) company.add(entry.key);
    else if (entry.kind === 'property' && !standard.includes(entry.key)) custom.add(entry.key);
  }
  const sorted = (set: Set<string>) => [...set].sort((a, b) => a.localeCompare(b));
  return [...standard, ...sorted(custom), ...sorted(company)];
}

/**
 * Values to suggest per attribute from what the catalogue knows of it: the
 * catalogue keeps the kinds of value a key has held, not the values, so a key
 * that only ever held booleans suggests true and false.
 */
export function catalogueValueSuggestions(catalogue: readonly PropertyCatalogueEntry[]): Record<string, string[]> {
  const values: Record<string, string[]> = {};
  for (const entry of catalogue) if (entry.types.length === 1 && entry.types[0] === 'boolean') values[entry.key] = ['true', 'false'];
  return values;
}

/** The workspace's property catalogue: one request for the rule builder and the analytics filter bar. */
export function propertyCatalogueQuery(workspaceId: string) {
  return queryOptions({
    queryKey: ['analytics', workspaceId, 'properties'],
    queryFn: async () => (await api<PropertyCatalogueAnswer>(`/workspaces/${workspaceId}/analytics/properties`)).properties,
    staleTime: 5 * 60_000,
  });
}
