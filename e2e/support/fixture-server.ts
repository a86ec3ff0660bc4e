import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** A tiny page server for the widget's component tests: `/fixture.js` and the pages given by path. */
export interface FixtureServer {
  origin: string;
  close(): Promise<void>;
}

/**
 * Builds the widget's fixture entry (the real UI and stores, fed fixture
 * answers) with esbuild and serves it at `/fixture.js`, beside HTML pages
 * chosen by path (`pages['/']` for any other path).
 */
export async function startFixtureServer(pages: Record<string, string>): Promise<FixtureServer> {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('../../packages/widget/src/test-support/fixture-entry.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    write: false,
    logLevel: 'warning',
  });
  const script = bundle.outputFiles[0]!.text;
  const server = http.createServer((req, res) => {
    const [type, body] = req.url === '/fixture.js' ? ['text/javascript', script] : ['text/html', pages[req.url ?? '/'] ?? pages['/']];
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
