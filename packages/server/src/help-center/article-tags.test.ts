import { ARTICLE_TAG_LIMITS } from '@lumio/protocol';
import { describe, expect, it } from 'vitest';
import { LumioError } from '../errors/lumio-error.js';
import { normaliseTags, storedTags, tagsOfArticle } from './article-tags.js';

const refusal = (raw: unknown[]) => {
  try {
    normaliseTags(raw);
  } catch (error) {
    if (error instanceof LumioError) return { code: error.code, field: error.details?.field, message: error.message };
    throw error;
  }
  throw new Error('not refused');
};

describe('normaliseTags', () => {
  it('makes each tag a topic key, the way collections become topics', () => {
    expect(normaliseTags(['Billing', 'Invoices & Tax', ' Café ', 'SSO_setup', '--x--'])).toEqual([
      'billing',
      'invoices-tax',
      'cafe',
      'sso_setup',
      'x',
    ]);
  });

  it('drops duplicates after normalising and keeps the order first given', () => {
    expect(normaliseTags(['Zeta', 'alpha', 'ZETA', ' zeta', 'Alpha!'])).toEqual(['zeta', 'alpha']);
  });

  it('cuts a tag to 64 characters', () => {
    expect(normaliseTags(['a'.repeat(ARTICLE_TAG_LIMITS.inputLength)])).toEqual(['a'.repeat(ARTICLE_TAG_LIMITS.keyLength)]);
  });

  it('reads null, undefined and [] as no tags', () => {
    expect(normaliseTags(null)).toEqual([]);
    expect(normaliseTags(undefined)).toEqual([]);
    expect(normaliseTags([])).toEqual([]);
  });

  it('refuses a tag that normalises to nothing as invalid_tag, naming tags.<index>', () => {
    expect(refusal(['ok', '!!!'])).toMatchObject({ code: 'invalid_tag', field: 'tags.1' });
    expect(refusal(['   '])).toMatchObject({ code: 'invalid_tag', field: 'tags.0' });
    expect(refusal(['fine', 'also fine', '日本語'])).toMatchObject({ code: 'invalid_tag', field: 'tags.2' });
    expect(refusal([''])).toMatchObject({ code: 'invalid_tag', field: 'tags.0', message: expect.stringMatching(/^tags\.0: /) });
  });

  it('refuses more than 20 tags, and a tag that is not a bounded string (front matter is not checked by the API schema)', () => {
    const many = Array.from({ length: ARTICLE_TAG_LIMITS.perArticle + 1 }, (_, i) => `t${i}`);
    expect(refusal(many)).toMatchObject({ code: 'invalid_request', field: 'tags' });
    expect(normaliseTags(many.slice(1))).toHaveLength(ARTICLE_TAG_LIMITS.perArticle);
    expect(refusal(['a', 42])).toMatchObject({ code: 'invalid_request', field: 'tags.1' });
    expect(refusal(['x'.repeat(ARTICLE_TAG_LIMITS.inputLength + 1)])).toMatchObject({ code: 'invalid_request', field: 'tags.0' });
  });
});

describe('stored tags', () => {
  const json = (value: unknown) => JSON.stringify(value);

  it('stores none as SQL null and reads null, JSON text and lists back', () => {
    expect(storedTags([], json)).toBeNull();
    expect(storedTags(['a', 'b'], json)).toBe('["a","b"]');
    expect(tagsOfArticle({ tags: null })).toEqual([]);
    expect(tagsOfArticle({ tags: '["a","b"]' })).toEqual(['a', 'b']);
    expect(tagsOfArticle({ tags: ['a'] })).toEqual(['a']);
    // A column holding JSON null or something else reads as no tags.
    expect(tagsOfArticle({ tags: 'null' })).toEqual([]);
    expect(tagsOfArticle({ tags: '{"a":1}' })).toEqual([]);
  });
});
