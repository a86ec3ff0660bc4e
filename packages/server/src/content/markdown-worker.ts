import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';

/** A document to render, as the pool sends it. */
export interface RenderRequest {
  id: number;
  markdown: string;
}

/** The answer for one document: its HTML, or why there is none. */
export type RenderAnswer =
  | { id: number; html: string; text: string }
  // too_complex: the parser ran out of stack (a nesting the pre-scan did not count); failed: any other error.
  | { id: number; error: 'too_complex' | 'failed'; message: string };

// Runs in a worker thread of the MarkdownRenderer pool (markdown-renderer.ts):
// a slow document blocks this thread, never the server's event loop, and the
// pool can stop it mid-render by terminating the thread.
const port = parentPort;
if (port) {
  // Lowered before marked and sanitize-html load: loading them is a good part of a fresh worker's start-up CPU.
  lowerPriority();
  const { renderMarkdown } = await import('./render-markdown.js');
  const { htmlToText } = await import('./html-to-text.js');
  port.on('message', (request: RenderRequest) => {
    let answer: RenderAnswer;
    try {
      const html = renderMarkdown(request.markdown);
      // The text too (search index, excerpt): linear, but 330 ms for the 400 kB of HTML 100 k `<` make.
      answer = { id: request.id, html, text: htmlToText(html) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      answer = { id: request.id, error: error instanceof RangeError ? 'too_complex' : 'failed', message };
    }
    port.postMessage(answer);
  });
  // Loading marked and sanitize-html takes a while; the pool starts a document's clock only after this.
  port.postMessage('ready');
}

// On Linux, the lowest scheduling priority (nice 19) for this thread alone:
// where the worker shares a core with the event loop (one core, or a server
// pinned to one), the loop then gets nearly all of it while both want it, and
// the worker all that is left over. setpriority() with a thread id changes
// that thread only; elsewhere this is skipped and the worker runs as usual.
function lowerPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 19);
  } catch {
    // Not Linux, or not allowed: the pool's time budget still bounds each render.
  }
}
