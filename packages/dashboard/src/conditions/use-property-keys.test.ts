import type { PropertyCatalogueEntry } from '@lumio/protocol';
import { describe, expect, it } from 'vitest';
import { catalogueValueSuggestions, suggestedKeys } from './use-property-keys.js';

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

describe('suggested keys', () => {
  it('offers the standard attributes, the custom properties, then the companies’ attributes', () => {
    const catalogue = [
      entry('plan', ['string']),
      entry('company.id', ['string'], 'company'),
      entry('company.plan', ['string'], 'company'),
      entry('email', ['string'], 'trait'),
      entry('beta', ['boolean']),
    ];
    expect(suggestedKeys(catalogue)).toEqual([
      'name',
      'email',
      'birthday',
      'gender',
      'userId',
      'trust',
      'beta',
      'plan',
      'company.id',
      'company.plan',
    ]);
  });
});
