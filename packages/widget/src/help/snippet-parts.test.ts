import { describe, expect, it } from 'vitest';
import { snippetParts } from './snippet-parts.js';

describe('snippetParts', () => {
  it('splits a snippet into text and highlighted words, decoding the escaped characters', () => {
    expect(snippetParts('Reset your <mark>password</mark> &amp; <mark>PIN</mark> &quot;now&quot;')).toEqual([
      { text: 'Reset your ', mark: false },
      { text: 'password', mark: true },
      { text: ' & ', mark: false },
      { text: 'PIN', mark: true },
      { text: ' "now"', mark: false },
    ]);
  });

  it('keeps escaped and unescaped markup as text, and leaves unknown entities as they are', () => {
    expect(snippetParts('&lt;img src=x onerror=alert(1)&gt; <b>bold</b> &copy; <mark>&lt;script&gt;</mark>')).toEqual([
      { text: '<img src=x onerror=alert(1)> <b>bold</b> &copy; ', mark: false },
      { text: '<script>', mark: true },
    ]);
  });

  it('does not decode twice, and survives an empty or missing snippet', () => {
    expect(snippetParts('&amp;lt;b&amp;gt;')).toEqual([{ text: '&lt;b&gt;', mark: false }]);
    expect(snippetParts('')).toEqual([]);
    expect(snippetParts(undefined as unknown as string)).toEqual([]);
  });
});
