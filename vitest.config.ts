import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests run against sources, so a change is tested without a build first.
    alias: {
      '@lumio/protocol': fileURLToPath(new URL('./packages/protocol/src/index.ts', import.meta.url)),
      '@lumio/node': fileURLToPath(new URL('./packages/node/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
