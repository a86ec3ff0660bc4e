import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against sources, so a change is tested without a build first.
    // Exact matches: '@lumio/protocol' must not also catch '@lumio/protocol/browser'.
    alias: [
      { find: /^@lumio\/protocol$/, replacement: source('./packages/protocol/src/index.ts') },
      { find: /^@lumio\/protocol\/browser$/, replacement: source('./packages/protocol/src/browser.ts') },
      { find: /^@lumio\/targeting$/, replacement: source('./packages/targeting/src/index.ts') },
      { find: /^@lumio\/targeting\/test-support$/, replacement: source('./packages/targeting/src/test-support/random-conditions.ts') },
      { find: /^@lumio\/sdk$/, replacement: source('./packages/sdk/src/index.ts') },
      { find: /^@lumio\/widget$/, replacement: source('./packages/widget/src/index.ts') },
      { find: /^@lumio\/node$/, replacement: source('./packages/node/src/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'e2e/**/*.test.ts'],
    pool: 'forks',
    // As the server runs: user-written patterns on V8's linear-time engine.
    poolOptions: { forks: { execArgv: ['--enable-experimental-regexp-engine'] } },
    // The Markdown worker thread runs from dist: compiled first when its sources changed.
    globalSetup: ['packages/server/src/test-support/markdown-worker-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
