import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readHelpCenterFiles } from './help-center-files.js';

describe('readHelpCenterFiles: front matter the YAML parser could not survive', async () => {
  it('refuses deeply nested or very long front matter at once, naming the file (16 k `{` killed the process)', async () => {
    const started = performance.now();
    const { errors, articles } = await readHelpCenterFiles([
      { path: 'braces.md', content: `---\ntitle: ${'{'.repeat(16_384)}\n---\nx` },
      { path: 'indent.md', content: `---\n${Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')}\n---\nx` },
      { path: 'long.md', content: `---\ntitle: x\nexcerpt: ${'y'.repeat(9_000)}\n---\nx` },
    ]);
    expect(articles).toEqual([]);
    expect(errors).toEqual([
      { path: 'braces.md', message: 'the front matter is longer than 8192 characters' },
      { path: 'indent.md', message: 'the front matter is longer than 8192 characters' },
      { path: 'long.md', message: 'the front matter is longer than 8192 characters' },
    ]);
    const nested = await readHelpCenterFiles([{ path: 'nested.md', content: `---\ntitle: ${'['.repeat(4_000)}\n---\nx` }]);
    expect(nested.errors).toEqual([{ path: 'nested.md', message: 'the front matter is nested more than 128 levels deep' }]);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('still reads an audience nested as deep as a condition may be (12 levels)', async () => {
    const deep = (n: number): unknown => (n === 0 ? { plan: { $in: ['a', 'b'] } } : { $and: [deep(n - 1), { seats: { $gt: 1 } }] });
    const matter = stringify({ title: 'Deep', audience: { condition: deep(11), properties: 'all' } });
    const { errors, articles } = await readHelpCenterFiles([{ path: 'deep.md', content: `---\n${matter}---\n\nBody` }]);
    expect(errors).toEqual([]);
    expect(articles[0]!.audience).toEqual({ condition: deep(11), properties: 'all' });
  });

  it('lets other requests in while it reads many slow files (each alone is fine, all together took seconds)', async () => {
    // Within the bounds, the slowest front matter found: 124 levels of one-space nesting, ~8 kB.
    const matter = Array.from({ length: 124 }, (_, i) => `${' '.repeat(i)}a:`).join('\n');
    const files = Array.from({ length: 200 }, (_, n) => ({ path: `f${n}.md`, content: `---\n${matter}\n---\nx` }));
    // The longest the event loop went without running a 5 ms timer.
    let last = performance.now();
    let longest = 0;
    const timer = setInterval(() => {
      longest = Math.max(longest, performance.now() - last);
      last = performance.now();
    }, 5);
    const started = performance.now();
    const { errors } = await readHelpCenterFiles(files);
    const elapsed = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
    clearInterval(timer);
    expect(errors).toHaveLength(200);
    expect(longest, `read in ${Math.round(elapsed)} ms`).toBeLessThan(Math.min(200, elapsed / 3));
  });
});
