import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Where the dashboard's build (`@lumio/dashboard`'s dist/, made by Vite) is:
 * its index.html, served for every page of the single-page app, and its
 * assets/, whose names carry their content hash. An unbuilt checkout has
 * none; the routes then answer 503 dashboard_unavailable instead of failing
 * the server's start.
 */
export class DashboardApp {
  constructor(readonly distDir: string | null = defaultDistDir()) {}

  /** The folder of the hashed assets, when built. */
  get assetsDir(): string | null {
    return this.distDir && fs.existsSync(path.join(this.distDir, 'assets')) ? path.join(this.distDir, 'assets') : null;
  }

  /** The app's page (read on each call: a rebuild while the server runs is picked up). */
  indexHtml(): Buffer | null {
    if (!this.distDir) return null;
    try {
      return fs.readFileSync(path.join(this.distDir, 'index.html'));
    } catch {
      return null;
    }
  }
}

function defaultDistDir(): string | null {
  try {
    return path.join(path.dirname(createRequire(import.meta.url).resolve('@lumio/dashboard/package.json')), 'dist');
  } catch {
    return null;
  }
}
