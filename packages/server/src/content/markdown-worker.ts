import { parentPort } from 'node:worker_threads';
import { renderMarkdown } from './render-markdown.js';

/** A document to render, as the pool sends it. */
export interface RenderRequest {
  id: number;
  markdown: string;
}

/** The answer for one document: its HTML, or why there is none. */
export type RenderAnswer =
  | { id: number; html: string }
  // too_complex: the parser ran out of stack (a nesting the pre-scan did not count); failed: any other error.
  | { id: number; error: 'too_complex' | 'failed'; message: string };

// Runs in a worker thread of the MarkdownRenderer pool (markdown-renderer.ts):
// a slow document blocks this thread, never the server's event loop, and the
// pool can stop it mid-render by terminating the thread.
const port = parentPort;
if (port) {
  port.on('message', (request: RenderRequest) => {
    let answer: RenderAnswer;
    try {
      answer = { id: request.id, html: renderMarkdown(request.markdown) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      answer = { id: request.id, error: error instanceof RangeError ? 'too_complex' : 'failed', message };
    }
    port.postMessage(answer);
  });
  // Loading marked and sanitize-html takes a while; the pool starts a document's clock only after this.
  port.postMessage('ready');
}
