import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LumioError } from '../errors/lumio-error.js';
import { MAX_MARKDOWN_NESTING, markdownNesting } from './markdown-nesting.js';
import type { RenderAnswer, RenderRequest } from './markdown-worker.js';

/** How the pool is sized (LUMIO_MARKDOWN_WORKERS, LUMIO_MARKDOWN_QUEUE, LUMIO_MARKDOWN_BUDGET_MS). */
export interface MarkdownRendererOptions {
  workers: number;
  /** Documents that may wait for a free worker; one more is refused with rendering_busy. */
  queue: number;
  /** How long one document may render before its worker is stopped. */
  budgetMs: number;
  /** The compiled worker script; by default markdown-worker.js next to this module (in dist). */
  workerUrl?: URL | undefined;
}

/** A rendered document: sanitised HTML, and its readable text (see htmlToText). */
export interface RenderedMarkdown {
  html: string;
  text: string;
}

interface Job {
  id: number;
  markdown: string;
  document: string;
  resolve: (rendered: RenderedMarkdown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

/**
 * Renders Markdown in a small pool of worker threads, so that a document whose
 * rendering is slow (marked is quadratic on some inputs: 100 k characters of
 * `_*a` took 110 s) never blocks the event loop that serves every tenant.
 * Each document has a time budget: one that exceeds it has its worker
 * terminated (a fresh one takes its place) and is refused with
 * `content_too_complex`, naming the document. A document nested deeper than
 * {@link MAX_MARKDOWN_NESTING} levels is refused before rendering. When every
 * worker is busy and the queue is full, `rendering_busy` (503, Retry-After).
 *
 * @example const { html, text } = await renderer.render(body, 'article "Getting started"');
 */
export class MarkdownRenderer {
  private readonly slots: Slot[] = [];
  private readonly waiting: Job[] = [];
  private readonly workerPath: string;
  private nextId = 1;
  private closed = false;
  /** Workers terminated for exceeding the budget (or crashing) and replaced. */
  replacements = 0;

  constructor(private readonly options: MarkdownRendererOptions) {
    this.workerPath = fileURLToPath(options.workerUrl ?? defaultWorkerUrl());
    if (!existsSync(this.workerPath))
      throw new Error(`The Markdown worker ${this.workerPath} is missing; run \`npm run build\` (tests load it from dist).`);
  }

  /**
   * Sanitised HTML of a document (see renderMarkdown) and its text, rendered in a worker.
   * `document` names it in a refusal: `article "Title"`, a file path.
   */
  render(markdown: string, document: string): Promise<RenderedMarkdown> {
    if (this.closed) return Promise.reject(new LumioError('service_unavailable', 'The server is shutting down.'));
    // Linear, so it is done here; a deep document would overflow the worker's stack anyway, but slowly.
    const depth = markdownNesting(markdown);
    if (depth > MAX_MARKDOWN_NESTING)
      return Promise.reject(tooComplex(document, `nested ${depth} levels deep (at most ${MAX_MARKDOWN_NESTING})`));
    // Workers start with the first document: most processes (and test apps) never render one.
    if (this.slots.length === 0) for (let n = 0; n < this.options.workers; n++) this.slots.push(this.spawn());
    return new Promise<RenderedMarkdown>((resolve, reject) => {
      const job: Job = { id: this.nextId++, markdown, document, resolve, reject };
      const free = this.slots.find((slot) => slot.ready && slot.job === null);
      if (free) return this.dispatch(free, job);
      // A worker still starting takes the next document as soon as it is ready: that one does not count as queued.
      const starting = this.slots.filter((slot) => !slot.ready && slot.job === null).length;
      if (this.waiting.length >= this.options.queue + starting) {
        const seconds = Math.max(1, Math.ceil(this.options.budgetMs / 1000));
        return reject(
          new LumioError(
            'rendering_busy',
            `The server is rendering as many Markdown documents as it can queue; try again in ${seconds} s.`,
            { retryAfterSeconds: seconds, document },
            { 'retry-after': String(seconds) },
          ),
        );
      }
      this.waiting.push(job);
    });
  }

  /** Documents rendering or waiting (for tests and metrics). */
  get pending(): number {
    return this.waiting.length + this.slots.filter((slot) => slot.job !== null).length;
  }

  /** Stops the workers; documents still waiting are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(new LumioError('service_unavailable', 'The server is shutting down.'));
    await Promise.all(
      this.slots.map(async (slot) => {
        if (slot.timer) clearTimeout(slot.timer);
        slot.job?.reject(new LumioError('service_unavailable', 'The server is shutting down.'));
        slot.job = null;
        await slot.worker.terminate();
      }),
    );
  }

  private spawn(): Slot {
    // An unref'd worker does not keep the process alive; close() ends it anyway.
    const worker = new Worker(this.workerPath);
    worker.unref();
    const slot: Slot = { worker, ready: false, job: null, timer: null };
    worker.on('message', (message: RenderAnswer | 'ready') => {
      if (message === 'ready') {
        slot.ready = true;
        return this.next(slot);
      }
      const job = slot.job;
      if (!job || job.id !== message.id) return;
      this.finish(slot);
      if ('html' in message) job.resolve({ html: message.html, text: message.text });
      else if (message.error === 'too_complex') job.reject(tooComplex(job.document, 'nested too deeply to render'));
      else job.reject(new Error(`Markdown rendering failed for ${job.document}: ${message.message}`));
      this.next(slot);
    });
    worker.on('error', (error) => this.replace(slot, () => new Error(`The Markdown worker failed: ${error.message}`)));
    worker.on('exit', () => {
      // An exit not caused by replace() or close() (out of memory): fail the job, start another worker.
      if (this.slots.includes(slot) && !this.closed)
        this.replace(slot, (job) => tooComplex(job.document, 'its renderer ran out of resources'));
    });
    return slot;
  }

  private dispatch(slot: Slot, job: Job): void {
    slot.job = job;
    slot.timer = setTimeout(
      () => this.replace(slot, (j) => tooComplex(j.document, `it took longer than ${this.options.budgetMs} ms to render`)),
      this.options.budgetMs,
    );
    slot.worker.postMessage({ id: job.id, markdown: job.markdown } satisfies RenderRequest);
  }

  private finish(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
  }

  private next(slot: Slot): void {
    if (this.closed || !slot.ready || slot.job !== null) return;
    const job = this.waiting.shift();
    if (job) this.dispatch(slot, job);
  }

  // Terminating is the only way to stop a synchronous render; the slot gets a fresh worker at once.
  private replace(slot: Slot, refusal: (job: Job) => Error): void {
    const index = this.slots.indexOf(slot);
    if (index === -1 || this.closed) return;
    const job = slot.job;
    this.finish(slot);
    this.slots[index] = this.spawn();
    this.replacements++;
    void slot.worker.terminate();
    if (job) job.reject(refusal(job));
  }
}

function tooComplex(document: string, why: string): LumioError {
  return new LumioError('content_too_complex', `${document} is too complex to render: ${why}; simplify it and save again.`, {
    document,
  });
}

// From dist, the worker is the compiled file next to this one. From the
// TypeScript sources (vitest), it is the same file in dist: a worker thread
// cannot load .ts, and the vitest global setup builds dist when it is stale.
function defaultWorkerUrl(): URL {
  const self = import.meta.url;
  if (self.endsWith('.ts')) return new URL('../../dist/content/markdown-worker.js', self);
  return new URL('./markdown-worker.js', self);
}
