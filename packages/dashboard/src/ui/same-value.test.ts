import { describe, expect, it } from 'vitest';
import { sameValue } from './same-value.js';

describe('sameValue (is a form edited?)', () => {
  it('holds a form unchanged whatever the order of its keys', () => {
    expect(sameValue({ title: 'Hi', tags: ['a', 'b'], cta: null }, { cta: null, tags: ['a', 'b'], title: 'Hi' })).toBe(true);
  });

  it('sees one changed field, deep in a condition too', () => {
    const before = { title: 'Hi', condition: { $and: [{ plan: 'pro' }, { seats: { $gt: 5 } }] } };
    expect(sameValue(before, { ...before, title: 'Hi!' })).toBe(false);
    expect(sameValue(before, { title: 'Hi', condition: { $and: [{ plan: 'pro' }, { seats: { $gt: 6 } }] } })).toBe(false);
    expect(sameValue(before, structuredClone(before))).toBe(true);
  });

  it('sees a tag added, removed or moved', () => {
    expect(sameValue({ tags: ['a'] }, { tags: ['a', 'b'] })).toBe(false);
    expect(sameValue({ tags: ['a', 'b'] }, { tags: ['a'] })).toBe(false);
    expect(sameValue({ tags: ['a', 'b'] }, { tags: ['b', 'a'] })).toBe(false);
  });

  it('tells apart values a loose comparison would mix up', () => {
    expect(sameValue({ priority: '0' }, { priority: 0 })).toBe(false);
    expect(sameValue({ condition: null }, { condition: {} })).toBe(false);
    expect(sameValue({ ends: '' }, { ends: null })).toBe(false);
    expect(sameValue([], {})).toBe(false);
    expect(sameValue({ on: false }, { on: 0 })).toBe(false);
  });

  it('counts a key set to undefined as no key, and a new key as a change', () => {
    expect(sameValue({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameValue({ a: 1, b: undefined }, { a: 1, c: 2 })).toBe(false);
  });
});
