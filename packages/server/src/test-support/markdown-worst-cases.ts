/**
 * Markdown on which marked takes time growing with the square of its length,
 * measured on the old in-process renderer (100 k characters: `_*a` 110 s,
 * `__a` 21 s, `a_` 5.1 s, `*a` 1.5 s), and nestings that overflowed its stack
 * (RangeError, a 500): used by the renderer tests and bench/markdown.
 */
export const WORST_CASES = {
  underStar: '_*a'.repeat(33_333),
  doubleUnder: '__a'.repeat(33_333),
  quotes: '>'.repeat(100_000),
  lists: Array.from({ length: 2_000 }, (_, i) => `${' '.repeat(i * 2)}- a`).join('\n'),
};
