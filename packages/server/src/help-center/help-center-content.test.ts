import { describe, expect, it } from 'vitest';
import { htmlToText } from '../content/html-to-text.js';
import { renderMarkdown } from '../content/render-markdown.js';
import { EXCERPT_LENGTH, excerptOf, excerptOfText } from './help-center-content.js';

describe('excerptOf', () => {
  it('is the excerpt of the whole text, read from the start of the HTML only', () => {
    const bodies = [
      'Short.',
      Array.from({ length: 2_000 }, (_, i) => `Paragraph ${i} with **bold** and [a link](https://example.com/${'x'.repeat(i % 50)}).`).join(
        '\n\n',
      ),
      // Mostly markup at the start: long link targets, then the words.
      `${Array.from({ length: 200 }, (_, i) => `[](https://example.com/${'y'.repeat(300)}${i})`).join(' ')}\n\n${'word '.repeat(5_000)}`,
      '<'.repeat(100_000),
      `${'a&amp;b '.repeat(30)}${'&lt;tag&gt; '.repeat(10_000)}`,
    ];
    for (const body of bodies) {
      const html = renderMarkdown(body);
      expect(excerptOf(html)).toBe(excerptOfText(htmlToText(html)));
      expect(excerptOf(html).length).toBeLessThanOrEqual(EXCERPT_LENGTH + 1);
    }
  });

  it('stays cheap on a body whose whole text is slow to make (an export computes it for every article)', () => {
    // 100 k `<` render to 400 kB of HTML, whose whole text took 330 ms.
    const html = renderMarkdown('<'.repeat(100_000));
    const started = performance.now();
    for (let n = 0; n < 20; n++) excerptOf(html);
    expect((performance.now() - started) / 20).toBeLessThan(20);
  });
});
