import { afterEach, describe, expect, it } from 'vitest';
import { LumioError } from '../errors/lumio-error.js';
import { MarkdownRenderer, type MarkdownRendererOptions } from './markdown-renderer.js';
import { markdownNesting } from './markdown-nesting.js';
import { WORST_CASES } from '../test-support/markdown-worst-cases.js';

async function refusal(promise: Promise<unknown>): Promise<LumioError> {
  const error = await promise.then(
    () => {
      throw new Error('rendered, not refused');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LumioError);
  return error as LumioError;
}

describe('MarkdownRenderer', () => {
  let renderer: MarkdownRenderer | undefined;
  const open = (options: Partial<MarkdownRendererOptions> = {}) =>
    (renderer = new MarkdownRenderer({ workers: 1, queue: 4, budgetMs: 300, ...options }));
  afterEach(async () => renderer?.close());

  it('renders and sanitises in a worker, as renderMarkdown does, with the text', async () => {
    const rendered = await open().render('**New:** <script>x()</script>[docs](https://example.com)', 'doc');
    expect(rendered).toEqual({
      html: '<p><strong>New:</strong> <a href="https://example.com" rel="noopener noreferrer" target="_blank">docs</a></p>',
      text: 'New: docs',
    });
  });

  it('refuses 100 k characters of pathological emphasis once the budget is spent, naming the document', async () => {
    const r = open();
    const started = performance.now();
    const error = await refusal(r.render(WORST_CASES.underStar, 'article "Slow"'));
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(error.code).toBe('content_too_complex');
    expect(error.status).toBe(422);
    expect(error.message).toContain('article "Slow"');
    expect(error.details).toEqual({ document: 'article "Slow"' });
  });

  it('replaces a worker it stopped, and the next document renders', async () => {
    const r = open();
    await refusal(r.render(WORST_CASES.doubleUnder, 'slow'));
    expect(r.replacements).toBe(1);
    expect((await r.render('_fine_', 'fine')).html).toBe('<p><em>fine</em></p>');
    expect(r.replacements).toBe(1);
  });

  it('refuses 100 k nested `>` and 2,000 nested lists before rendering (no stack overflow, no worker lost)', async () => {
    const r = open({ budgetMs: 60_000 });
    for (const [name, markdown] of [
      ['quotes', WORST_CASES.quotes],
      ['lists', WORST_CASES.lists],
    ] as const) {
      const error = await refusal(r.render(markdown, name));
      expect(error.code).toBe('content_too_complex');
      expect(error.message).toMatch(new RegExp(`^${name} is too complex.*nested \\d+ levels`));
    }
    expect(r.replacements).toBe(0);
  });

  it('refuses with rendering_busy and Retry-After when the queue is full', async () => {
    const r = open({ queue: 1, budgetMs: 1000 });
    const slow = [r.render(WORST_CASES.underStar, 'one'), r.render(WORST_CASES.underStar, 'two')];
    const error = await refusal(r.render('x', 'three'));
    expect(error.code).toBe('rendering_busy');
    expect(error.status).toBe(503);
    expect(error.headers).toEqual({ 'retry-after': '1' });
    await Promise.allSettled(slow);
  });
});

describe('MarkdownRenderer without a queue', () => {
  it('starts its workers with the first document, which waits for one to be ready', async () => {
    const r = new MarkdownRenderer({ workers: 1, queue: 0, budgetMs: 2000 });
    try {
      expect(r.pending).toBe(0);
      expect((await r.render('*first*', 'first')).html).toBe('<p><em>first</em></p>');
    } finally {
      await r.close();
    }
  });
});

describe('markdownNesting', () => {
  it('counts block quotes and lists, nested on one line or by indentation', () => {
    expect(markdownNesting('plain text\n\nmore')).toBe(0);
    expect(markdownNesting('> > - a')).toBe(3);
    expect(markdownNesting('- a\n  - b\n    - c\n\nback')).toBe(3);
    expect(markdownNesting('1. a\n   1. b\n      - c')).toBe(3);
    expect(markdownNesting('> - a\n>   - b')).toBe(3);
    // A list closed by a line further left does not add up.
    expect(markdownNesting('- a\n  - b\nc\n- d\n  - e')).toBe(2);
    expect(markdownNesting(WORST_CASES.quotes)).toBe(100_000);
    expect(markdownNesting(WORST_CASES.lists)).toBe(2_000);
  });
});
