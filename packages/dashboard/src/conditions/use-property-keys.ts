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
  return {
    keys: suggestedKeys(catalogue),
    catalogue,
    values: catalogueValueSuggestions(catalogue),
  };
}

/**
 * The attribute names the rule builder offers: the standard ones, the custom
 * properties by name, then the companies' attributes (`company.id`,
 * `company.name`, `company.<property>`) in the catalogue's order.
 */
export function suggestedKeys(catalogue: readonly PropertyCatalogueEntry[]): string[] {
  const custom = catalogue
    .filter((entry) => entry.kind === 'property')
    .map((entry) => entry.key)
    .sort((a, b) => a.localeCompare(b));
  const company = catalogue.filter((entry) => entry.kind === 'company').map((entry) => entry.key);
  return [...STANDARD_ATTRIBUTES, ...custom.filter((key) => !(STANDARD_ATTRIBUTES as readonly string[]).includes(key)), ...company];
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
