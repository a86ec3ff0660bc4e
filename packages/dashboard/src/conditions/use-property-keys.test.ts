import type { PropertyCatalogueEntry } from '@lumio/protocol';
import { describe, expect, it } from 'vitest';
import { attributeKeys, catalogueValueSuggestions, STANDARD_ATTRIBUTES } from './use-property-keys.js';

const entry = (key: string, types: string[], kind: PropertyCatalogueEntry['kind'] = 'property'): PropertyCatalogueEntry => ({
  key,
  kind,
  types,
  firstSeenAt: 0,
  lastSeenAt: 0,
  distinctEstimate: 2,
  highCardinality: false,
  flags: [],
});

describe('catalogue value suggestions', () => {
  it('suggests true and false for a key that only held booleans, nothing for the others', () => {
    expect(
      catalogueValueSuggestions([entry('beta', ['boolean']), entry('plan', ['string']), entry('mixed', ['boolean', 'string'])]),
    ).toEqual({ beta: ['true', 'false'] });
  });
});

describe('attribute keys', () => {
  it('suggests the standard attributes, the custom properties, then company.id, company.name and the companies’ properties', () => {
    expect(attributeKeys([])).toEqual([...STANDARD_ATTRIBUTES, 'company.id', 'company.name']);
    expect(
      attributeKeys([
        entry('plan', ['string']),
        entry('beta', ['boolean']),
        entry('company.seats', ['number']),
        entry('tier', ['string'], 'company'),
        entry('company.plan', ['string'], 'company'),
        // A custom property named like a standard attribute is not listed twice.
        entry('email', ['string']),
      ]),
    ).toEqual([...STANDARD_ATTRIBUTES, 'beta', 'plan', 'company.id', 'company.name', 'company.plan', 'company.seats', 'company.tier']);
  });
});
