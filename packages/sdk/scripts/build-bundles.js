// Builds the script-tag bundles with esbuild: the snippet (loader), which the
// server serves as /sdk/v1/loader.js, and the SDK core as an IIFE without UI
// (measured by bench:size; the widget.js the server serves is @lumio/widget's
// bundle, SDK + UI). Output in bundles/. Run by `npm run build` (after tsc) and
// `npm run bundle -w @lumio/sdk`.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const common = {
  bundle: true,
  minify: true,
  format: 'iife',
  // Browsers of the last few years; no polyfills are shipped.
  target: 'es2020',
  legalComments: 'none',
  absWorkingDir: root,
  logLevel: 'warning',
};
await build({ ...common, entryPoints: ['src/loader/loader.ts'], outfile: 'bundles/lumio-loader.min.js' });
await build({ ...common, entryPoints: ['src/bundle/widget-entry.ts'], outfile: 'bundles/lumio-sdk.min.js', sourcemap: true });
