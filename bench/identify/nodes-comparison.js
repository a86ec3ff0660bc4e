import os from 'node:os';
import { measureFirstTime, measureRepeat } from './cases.js';
import { describePinning, nodePinning } from './node-pinning.js';
import { startLumioNodes } from './targets.js';

/** "1 node", "2 nodes". */
export const nodesLabel = (n) => `${n} node${n === 1 ? '' : 's'}`;

/**
 * The scale-out comparison of `--nodes N`: the repeat and first-time cases
 * on one Lumio node, then on N nodes sharing one PostgreSQL database, the
 * load generator spreading its connections over the N ports round-robin.
 * Both run in the same invocation so that they see the same machine; each
 * gets a fresh database, so first-time inserts start from the same empty
 * tables. Returns one entry per configuration:
 * { nodes, pinning, commands, databaseUrl, repeat?, 'first-time'? } (cases as in cases.js).
 */
export async function compareNodes(ctx) {
  const { options, log } = ctx;
  const configurations = [];
  for (const nodes of [1, options.nodes]) {
    const pinning = nodePinning(nodes, os.cpus().length);
    const name = `postgres-${nodesLabel(nodes).replace(' ', '-')}`;
    log(`PostgreSQL: Lumio, ${nodesLabel(nodes)} (${describePinning(pinning)})`);
    const target = await startLumioNodes(ctx, pinning.nodeCores, name);
    target.label = nodesLabel(nodes);
    const configuration = { nodes, pinning, commands: target.commands, databaseUrl: target.databaseUrl };
    configurations.push(configuration);
    // The load generator's core travels with the context to every runLoad.
    const runCtx = { ...ctx, loadCore: pinning.loadCore };
    try {
      if (options.cases.includes('repeat')) configuration.repeat = await measureRepeat(target, runCtx);
      if (options.cases.includes('first-time'))
        configuration['first-time'] = await measureFirstTime(target, runCtx, configuration.repeat?.summary.reqPerSec ?? 1000);
    } finally {
      await target.stop();
    }
    log();
  }
  return configurations;
}
