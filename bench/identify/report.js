/** The targets: on SQLite at 50 connections. */
export const TARGETS = Object.freeze({
  repeat: { minRatio: 0.7, maxP99: 20 },
  'first-time': { minRatio: 0.55, maxP99: 20 },
});

/** A load generator above this share of a core may be what limits the rate. */
export const LOAD_GENERATOR_SATURATED = 0.9;

/** Median of numbers (mean of the middle two for an even count). */
export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Medians of a case's measured runs, plus anything that makes the numbers suspect. */
export function summarizeCase(runs) {
  const failures = runs.reduce((n, r) => n + r.non2xx + r.errors, 0);
  const nodes = runs[0]?.cpu?.nodeCores?.length ?? 0;
  const perNode = (pick) => Array.from({ length: nodes }, (_, i) => median(runs.map((r) => pick(r)?.[i])));
  return {
    reqPerSec: median(runs.map((r) => r.reqPerSec)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    failures,
    serverCores: median(runs.map((r) => r.cpu?.serverCores)),
    // Medians per Lumio node, for several nodes: how evenly they worked.
    nodeCores: perNode((r) => r.cpu?.nodeCores),
    nodeReqPerSec: perNode((r) => r.perNode?.map((n) => n / r.seconds)),
    postgresCores: median(runs.map((r) => r.cpu?.postgresCores)),
    kernelCores: median(runs.map((r) => r.cpu?.kernelCores)),
    otherCores: Math.max(...runs.map((r) => r.cpu?.otherCores ?? 0)),
    loadGeneratorCores: median(runs.map((r) => r.cpu?.loadGeneratorCores)),
  };
}

/** Judges a Lumio case against its target and floor: { ratio, verdict, notes }. */
export function judge(kind, summary, floor, writes) {
  const target = TARGETS[kind];
  const ratio = summary.reqPerSec / floor.reqPerSec;
  const notes = [];
  if (ratio < target.minRatio) notes.push(`ratio < ${target.minRatio}`);
  if (!(summary.p99 < target.maxP99)) notes.push(`p99 ≥ ${target.maxP99} ms`);
  if (summary.failures > 0) notes.push(`${summary.failures} failed requests`);
  if (writes && writes.lost > 0) notes.push(`${writes.lost} acknowledged writes lost`);
  return { ratio, verdict: notes.length ? 'MISS' : 'PASS', notes };
}

/** Renders rows as an aligned text table; numbers right-aligned. */
export function table(header, rows) {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => String(row[i] ?? '').length)));
  const line = (row) =>
    row
      .map((cell, i) => {
        const text = String(cell ?? '');
        return typeof cell === 'number' || /^[\d,.]+$/.test(text) ? text.padStart(widths[i]) : text.padEnd(widths[i]);
      })
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const fmtRate = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
export const fmtMs = (n) => (Number.isFinite(n) ? n.toFixed(1) : '—');
export const fmtCores = (n) => (Number.isFinite(n) ? n.toFixed(2) : '—');
export const fmtRatio = (n) => (Number.isFinite(n) ? n.toFixed(2) : '—');
