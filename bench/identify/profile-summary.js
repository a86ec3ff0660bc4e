// Summarizes V8 .cpuprofile files (node --cpu-prof): the frames with the most
// self time, and self time per package / area.
//
// Usage: node bench/identify/profile-summary.js <dir-or-file> [top N]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { table } from './report.js';

/** Text report of the hottest frames across every .cpuprofile in `target` (a file or directory). */
export function summarizeProfiles(target, top = 20) {
  const files = fs.statSync(target).isDirectory()
    ? fs
        .readdirSync(target)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => path.join(target, f))
    : [target];
  const byFrame = new Map();
  const byArea = new Map();
  const inclusive = new Map();
  let total = 0;
  let idle = 0;
  for (const file of files) {
    const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
    const interval = (profile.endTime - profile.startTime) / Math.max(1, profile.samples.length);
    const counts = new Map();
    for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
    addInclusive(profile, counts, interval, inclusive);
    for (const node of profile.nodes) {
      const ms = ((counts.get(node.id) ?? 0) * interval) / 1000;
      if (ms === 0) continue;
      const { functionName, url } = node.callFrame;
      total += ms;
      if (functionName === '(idle)') idle += ms;
      const key = frameKey(node.callFrame);
      byFrame.set(key, (byFrame.get(key) ?? 0) + ms);
      const area = areaOf(functionName, url);
      byArea.set(area, (byArea.get(area) ?? 0) + ms);
    }
  }
  const busy = total - idle;
  const pct = (ms) => `${((100 * ms) / busy).toFixed(1)}%`;
  const frames = [...byFrame]
    .filter(([k]) => !k.startsWith('(idle)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
  const areas = [...byArea]
    .filter(([k]) => k !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15);
  // Inclusive time of the application's own frames (Lumio and its libraries) says where a request's time goes.
  const own = [...inclusive]
    .filter(([k]) => /packages\/|kysely|better-sqlite3|pg\/|fastify|zod|pino|secure-json-parse/.test(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
  return [
    `${files.length} profile(s), ${(busy / 1000).toFixed(1)} s busy, ${(idle / 1000).toFixed(1)} s idle; shares are of busy time`,
    table(
      ['self', 'frame'],
      frames.map(([k, ms]) => [pct(ms), k]),
    ),
    '',
    table(
      ['total', 'frame (self + callees; Lumio and library frames)'],
      own.map(([k, ms]) => [pct(ms), k]),
    ),
    '',
    table(
      ['self', 'area'],
      areas.map(([k, ms]) => [pct(ms), k]),
    ),
  ].join('\n');
}

/** Adds each node's self time to every distinct frame on its stack (recursion counted once). */
function addInclusive(profile, counts, interval, inclusive) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const root = profile.nodes[0];
  const stack = [[root, new Set()]];
  while (stack.length) {
    const [node, above] = stack.pop();
    const key = frameKey(node.callFrame);
    const onStack = above.has(key) ? above : new Set(above).add(key);
    const ms = ((counts.get(node.id) ?? 0) * interval) / 1000;
    if (ms > 0) for (const k of onStack) inclusive.set(k, (inclusive.get(k) ?? 0) + ms);
    for (const child of node.children ?? []) stack.push([byId.get(child), onStack]);
  }
}

function frameKey({ functionName, url, lineNumber }) {
  return `${functionName || '(anonymous)'}  ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ''}`;
}

function shortUrl(url) {
  if (!url) return '';
  const clean = url.replace(/^file:\/\//, '');
  const modules = clean.lastIndexOf('node_modules/');
  if (modules >= 0) return clean.slice(modules + 'node_modules/'.length);
  const packages = clean.indexOf('/packages/');
  return packages >= 0 ? clean.slice(packages + 1) : clean;
}

function areaOf(functionName, url) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8 builtins)';
  const clean = url.replace(/^file:\/\//, '');
  const modules = clean.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = clean.slice(modules + 'node_modules/'.length).split('/');
    return `npm: ${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (clean.startsWith('node:')) return `node: ${clean.slice(5).split('/')[0]}`;
  const server = /packages\/(\w+)\/dist\/([\w-]+)\//.exec(clean);
  if (server) return `lumio ${server[1]}: ${server[2]}`;
  return shortUrl(url);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${summarizeProfiles(process.argv[2], Number(process.argv[3] ?? 25))}\n`);
}
