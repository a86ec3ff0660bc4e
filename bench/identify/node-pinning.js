import { LOAD_CORE } from './load.js';
import { SERVER_CORE } from './lumio-server.js';

/**
 * Which core each of `nodes` Lumio nodes and the load generator are pinned
 * to on a machine with `cpus` cores: { nodeCores, loadCore } (null: not
 * pinned). One node keeps the benchmark's usual pinning. Several nodes each
 * get a core of their own while one is left for the load generator; when
 * there are not that many (two nodes on a 2-core machine), the nodes take
 * the cores in turn and the load generator is left to the scheduler, which
 * runs it wherever a node waits. PostgreSQL is never pinned.
 */
export function nodePinning(nodes, cpus) {
  if (nodes === 1) return { nodeCores: [SERVER_CORE], loadCore: LOAD_CORE };
  const cores = Array.from({ length: nodes }, (_, i) => i % cpus);
  return { nodeCores: cores, loadCore: cpus > nodes ? nodes : null };
}

/** The pinning in words, for the report. */
export function describePinning({ nodeCores, loadCore }) {
  const nodes =
    nodeCores.length === 1 ? `the node on core ${nodeCores[0]}` : nodeCores.map((core, i) => `node ${i + 1} on core ${core}`).join(', ');
  return `${nodes}, load generator ${loadCore === null ? 'not pinned' : `on core ${loadCore}`}, PostgreSQL not pinned`;
}
