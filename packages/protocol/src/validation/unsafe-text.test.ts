import { describe, expect, it } from 'vitest';
import { findUnsafeText, unsafeTextReason } from './unsafe-text.js';

describe('findUnsafeText', () => {
  it('finds NUL and lone surrogates, and only them', () => {
    expect(unsafeTextReason('a\u0000b')).toBe('nul');
    expect(unsafeTextReason('a\ud800')).toBe('lone_surrogate');
    expect(unsafeTextReason('\udc00a')).toBe('lone_surrogate');
    expect(unsafeTextReason('\ude00\ud83d')).toBe('lone_surrogate');
    expect(unsafeTextReason('plain, ünïcödé and 😀')).toBeUndefined();
    expect(unsafeTextReason('\u0001\u001f\u007f\ufffd\uffff')).toBeUndefined();
  });

  it('names the path of the first bad string or key, dotted into objects and lists', () => {
    expect(findUnsafeText({ a: [{ b: 'ok' }, { b: 'x\u0000' }] })).toEqual({ field: 'a.1.b', reason: 'nul' });
    expect(findUnsafeText({ properties: { 'k\u0000': 1 } })).toEqual({ field: 'properties.k\\u0000', reason: 'nul' });
    expect(findUnsafeText('\ud800')).toEqual({ field: 'body', reason: 'lone_surrogate' });
    expect(findUnsafeText({ userId: 'u' }, 'params')).toBeUndefined();
    expect(findUnsafeText({ userId: 'u\u0000' }, 'params')).toEqual({ field: 'params.userId', reason: 'nul' });
    expect(findUnsafeText([1, true, null, { n: 2 }])).toBeUndefined();
  });

  it('stops at a depth bound instead of overflowing the stack', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => findUnsafeText(deep)).not.toThrow();
  });
});
