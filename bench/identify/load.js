import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuBetween, cpuSnapshot } from './cpu-monitor.js';
import { spawnPinned } from './processes.js';

const GENERATOR = fileURLToPath(new URL('./load-generator.js', import.meta.url));

/** Core the load generator runs on (the servers run on the other one). */
export const LOAD_CORE = 1;

/** How the load generator is started, for the printed report. */
export const LOAD_COMMAND = `taskset -c ${LOAD_CORE} node bench/identify/load-generator.js <job.json>  (autocannon programmatic API)`;

let jobs = 0;

/**
 * Runs one load-generator job (see load-generator.js) in a child process
 * pinned to `loadCore` ({@link LOAD_CORE} unless given; null: not pinned)
 * and returns its result. `onMeasuring` is called when the measured load
 * starts (after minting sessions); the crash test times its kill from there.
 * With `serverPids` (one per Lumio node), the result's `cpu` says how many
 * cores the servers, the load generator and everything else used while
 * measuring.
 */
export async function runLoad(job, { workDir, logFile, options, onMeasuring, serverPids = [], loadCore = LOAD_CORE }) {
  const n = ++jobs;
  const jobFile = path.join(workDir, `job-${n}.json`);
  const resultFile = path.join(workDir, `result-${n}.json`);
  fs.writeFileSync(jobFile, JSON.stringify({ ...job, resultFile }));
  let before = null;
  let after = null;
  const child = spawnPinned(loadCore, process.execPath, [GENERATOR, jobFile], {
    logFile,
    onStdout: (text) => {
      if (!before && text.includes('measuring')) {
        before = cpuSnapshot(serverPids, options?.pgDatabase);
        onMeasuring?.();
      }
      if (before && !after && text.includes('done')) after = cpuSnapshot(serverPids, options?.pgDatabase);
    },
  });
  const { code, signal } = await child.exited;
  if (code !== 0 || !fs.existsSync(resultFile)) {
    throw new Error(`load generator failed (${signal ?? `exit ${code}`}); see ${logFile}`);
  }
  const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
  const cpu = cpuBetween(before, after, result.loadGeneratorCpuMs);
  if (cpu) {
    const nodeCores = serverPids.map((pid) => cpu.ownCores[pid]);
    result.cpu = {
      serverCores: serverPids.length ? nodeCores.reduce((a, b) => a + b, 0) : null,
      // Per Lumio node, in the order of serverPids; serverCores is their sum.
      nodeCores,
      loadGeneratorCores: result.loadGeneratorCpuMs / cpu.wallMs,
      postgresCores: cpu.postgresCores,
      kernelCores: cpu.kernelCores,
      otherCores: cpu.otherCores,
    };
  }
  fs.rmSync(resultFile);
  fs.rmSync(jobFile);
  return result;
}
