// The dashboard's first-page JavaScript: for each page (each lazy route chunk
// the entry can load), the entry with everything it imports statically, plus
// that page's chunk with everything it imports statically — what the browser
// downloads before the page shows its first data. Read from Vite's manifest
// (packages/dashboard/dist/.vite/manifest.json, written by `npm run build`).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** Issue #7's budget for a first page's JavaScript, gzip. */
export const DASHBOARD_FIRST_PAGE_BUDGET = 250_000;

/**
 * Measures every first page of the dashboard build in `distDir`: returns rows
 * { page, files, raw, gzip } sorted by gzip size, largest first, or null when
 * the dashboard is not built.
 */
export function dashboardFirstPages(distDir) {
  const manifestFile = path.join(distDir, '.vite', 'manifest.json');
  if (!fs.existsSync(manifestFile)) return null;
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const closure = (key, into = new Set()) => {
    if (into.has(key)) return into;
    into.add(key);
    for (const next of manifest[key]?.imports ?? []) closure(next, into);
    return into;
  };
  const sizes = new Map();
  const sizeOf = (key) => {
    if (!sizes.has(key)) {
      const bytes = fs.readFileSync(path.join(distDir, manifest[key].file));
      sizes.set(key, { raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length });
    }
    return sizes.get(key);
  };
  const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
  if (!entry) throw new Error(`no entry in ${manifestFile}`);
  const shell = closure(entry);
  const pages = new Set([...shell].flatMap((key) => manifest[key].dynamicImports ?? []));
  const rows = [...pages].map((page) => {
    const keys = closure(page, new Set(shell));
    const total = [...keys].reduce((sum, key) => ({ raw: sum.raw + sizeOf(key).raw, gzip: sum.gzip + sizeOf(key).gzip }), {
      raw: 0,
      gzip: 0,
    });
    return { page: manifest[page].src ?? page, files: keys.size, ...total };
  });
  return rows.sort((a, b) => b.gzip - a.gzip);
}
