import { describe, expect, it } from 'vitest';
import { DistinctSketch, SKETCH_SIZE, hashValue } from './distinct-sketch.js';

const sketchOf = (values: string[], salt = 'ws:key') => {
  const sketch = new DistinctSketch();
  for (const value of values) sketch.add(hashValue(salt, value));
  return sketch;
};
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `v${from + i}`);

describe('distinct sketch', () => {
  it('counts exactly below k, repeats once', () => {
    expect(sketchOf([]).estimate()).toBe(0);
    expect(sketchOf(['a', 'b', 'a', 'c', 'b']).estimate()).toBe(3);
    expect(sketchOf(range(0, SKETCH_SIZE - 1)).estimate()).toBe(SKETCH_SIZE - 1);
  });

  it('estimates large counts, and merging equals sketching the union, in any order', () => {
    const whole = sketchOf(range(0, 10_000));
    expect(Math.abs(whole.estimate() / 10_000 - 1)).toBeLessThan(0.2);
    const left = sketchOf(range(0, 6_000));
    const right = sketchOf(range(4_000, 10_000));
    left.merge(right);
    expect(left.toText()).toBe(whole.toText());
    const again = DistinctSketch.parse(right.toText());
    again.merge(sketchOf(range(0, 6_000)));
    again.merge(again);
    expect(again.toText()).toBe(whole.toText());
  });

  it('round-trips through text holding hashes only, and salts them per workspace and key', () => {
    const sketch = sketchOf(['alice@example.com', 'bob@example.com']);
    const text = sketch.toText();
    expect(text).not.toContain('example');
    expect(DistinctSketch.parse(text).toText()).toBe(text);
    expect(hashValue('ws_1:email', 'a')).not.toBe(hashValue('ws_2:email', 'a'));
    expect(hashValue('k', 'a')).toBeLessThan(2 ** 52);
    expect(DistinctSketch.parse('garbage').estimate()).toBe(0);
  });
});
