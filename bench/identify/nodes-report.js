import { BUSY_OTHER_CORES } from './cases.js';
import { describePinning } from './node-pinning.js';
import { nodesLabel } from './nodes-comparison.js';
import { fmtCores, fmtMs, fmtRate, fmtRatio, LOAD_GENERATOR_SATURATED } from './report.js';

const CASE_NAMES = { repeat: 'repeat identify', 'first-time': 'first-time identify' };

/**
 * The report of `--nodes N` (see nodes-comparison.js): per case, one column
 * for one node and one for N nodes, with the aggregate rate, latency,
 * failures, CPU per process and every run with its busy flag; then what the
 * figure means on this machine. Returns the lines.
 */
export function nodesReport(configurations, { options, cpus }) {
  const [one, many] = configurations;
  const lines = [];
  lines.push(
    `PostgreSQL, ${nodesLabel(one.nodes)} vs ${nodesLabel(many.nodes)} — ${options.connections} connections in all, median of ${options.runs} × ${options.duration} s`,
  );
  for (const c of configurations) lines.push(`  ${nodesLabel(c.nodes)}: ${describePinning(c.pinning)}`);
  const busy = [];
  const loadBound = [];
  for (const kind of options.cases) {
    const columns = configurations.map((c) => c[kind]);
    const base = columns[0].summary.reqPerSec;
    const row = (label, cell) => [label, ...columns.map((result, i) => cell(result.summary, result, configurations[i]))];
    const rows = [
      [CASE_NAMES[kind], ...configurations.map((c) => nodesLabel(c.nodes))],
      row('req/s', (s) => fmtRate(s.reqPerSec)),
      row(`  ÷ ${nodesLabel(1)}`, (s) => fmtRatio(s.reqPerSec / base)),
      row('  per node', (s) => s.nodeReqPerSec.map(fmtRate).join(' / ')),
      row('p50 / p99 ms', (s) => `${fmtMs(s.p50)} / ${fmtMs(s.p99)}`),
      row('failed requests', (s) => String(s.failures)),
      row('cpu: Lumio', (s) => s.nodeCores.map(fmtCores).join(' + ')),
      row('cpu: PostgreSQL', (s) => fmtCores(s.postgresCores)),
      row('cpu: load generator', (s) => fmtCores(s.loadGeneratorCores)),
      row('cpu: kernel', (s) => fmtCores(s.kernelCores)),
      row(`cpu: all of ${cpus} cores`, (s) =>
        fmtCores(s.nodeCores.reduce((a, b) => a + b, 0) + s.postgresCores + s.loadGeneratorCores + s.kernelCores + s.otherCores),
      ),
      row('runs: req/s', (_, r) => r.runs.map((run) => fmtRate(run.reqPerSec)).join(' / ')),
      row(`runs: other cpu`, (_, r, c) =>
        r.runs
          .map((run, i) => {
            const other = run.cpu?.otherCores ?? NaN;
            if (other > BUSY_OTHER_CORES) busy.push(`${kind} ${nodesLabel(c.nodes)} run ${i + 1}`);
            return `${fmtCores(other)}${other > BUSY_OTHER_CORES ? ' BUSY' : ''}`;
          })
          .join(' / '),
      ),
    ];
    if (kind === 'first-time')
      rows.push(row('writes: acked / stored / lost', (_, r) => `${r.writes.acknowledged} / ${r.writes.stored} / ${r.writes.lost}`));
    for (const [i, c] of columns.entries())
      if (c.summary.loadGeneratorCores > LOAD_GENERATOR_SATURATED) loadBound.push(`${kind} ${nodesLabel(configurations[i].nodes)}`);
    lines.push('', ...align(rows));
  }
  lines.push('');
  if (busy.length)
    lines.push(
      `note: BUSY = other processes used more than ${BUSY_OTHER_CORES} of a core during the run (${busy.join(', ')}): those runs are unreliable`,
    );
  if (loadBound.length)
    lines.push(
      `note: the load generator used more than ${LOAD_GENERATOR_SATURATED} of a core during ${loadBound.join(', ')}: that rate may be its limit, not Lumio's`,
    );
  lines.push(
    '"÷ 1 node" is the scale-out: the nodes\' aggregate req/s over one node\'s. "per node" is what each node answered (2xx/s), "cpu:',
    'Lumio" the cores each node used, "cpu: all" everything the machine did (nodes, PostgreSQL, load generator, kernel, other).',
  );
  // The figure measures Lumio's scale-out only when the nodes are not
  // fighting PostgreSQL and the load generator for cores.
  if (cpus < many.nodes + 2)
    lines.push(
      `This machine has ${cpus} cores for ${many.nodes} nodes, PostgreSQL and the load generator: once "cpu: all" nears ${cpus}, the ${many.nodes}-node`,
      `figure is what this machine can do with ${many.nodes} processes, not what ${many.nodes} nodes can. With a core per node and PostgreSQL and the`,
      'load generator on cores (or machines) of their own, the aggregate could at best approach the one-node rate times the nodes,',
      'until PostgreSQL is the limit: its cpu row is the one to watch.',
    );
  return lines;
}

/** Left-aligns the first column and right-aligns the others. */
function align(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  const line = (r) =>
    r
      .map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i])))
      .join('   ')
      .trimEnd();
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('   '), ...rows.slice(1).map(line)];
}
