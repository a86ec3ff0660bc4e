// Builds widget.js with the UI: the SDK and the Preact widget in one IIFE
// (esbuild), written to bundles/lumio-widget.min.js with its source map. The
// server serves it as /sdk/v1/widget.js. Run by `npm run build` (after tsc and
// the SDK's bundles) and `npm run bundle -w @lumio/widget`.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  entryPoints: ['src/bundle/widget-entry.ts'],
  outfile: 'bundles/lumio-widget.min.js',
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'iife',
  // Browsers of the last few years; no polyfills are shipped.
  target: 'es2020',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  absWorkingDir: root,
  logLevel: 'warning',
});
