import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const mtime = (path: string) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
};

// Sources of the Markdown worker thread, and what they compile to.
const PAIRS = ['markdown-worker', 'render-markdown'].map(
  (name) => [at(`../content/${name}.ts`), at(`../../dist/content/${name}.js`)] as const,
);

/**
 * Vitest global setup: tests load the Markdown worker from dist (a worker
 * thread cannot run TypeScript), so when its sources are newer than dist,
 * or dist is missing, the server is compiled once (incremental tsc) before
 * any test runs. Without it a test would exercise a stale worker in silence.
 */
export default function setup(): void {
  if (PAIRS.every(([source, built]) => mtime(built) >= mtime(source))) return;
  execFileSync(process.execPath, [at('../../../../node_modules/typescript/bin/tsc'), '-b', at('../../tsconfig.json')], {
    stdio: 'inherit',
  });
}
