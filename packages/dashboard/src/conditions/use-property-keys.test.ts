import type { PropertyCatalogueEntry } from '@lumio/protocol';
import { describe, expect, it } from 'vitest';
import { catalogueValueSuggestions } from './use-property-keys.js';

const entry = (key: string, types: string[]): PropertyCatalogueEntry => ({
  key,
  kind: 'property',
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
