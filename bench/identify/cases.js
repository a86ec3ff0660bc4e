import { waitForQuiet } from './cpu-monitor.js';
import { runLoad } from './load.js';
import { fmtMs, fmtRate, summarizeCase } from './report.js';

// The first-time pool holds this many times the sessions the warm-up rate predicts.
const POOL_MARGIN = 1.5;
const MAX_POOL_ATTEMPTS = 3;
/** CPU used by other processes during a run, in cores, above which the run is flagged (and redone). */
export const BUSY_OTHER_CORES = 0.15;

/**
 * A target is what the load is pointed at, Lumio or the floor:
 * { label, origin, pid, origins? and pids? (one per node when there are several Lumio nodes),
 *   identifyPath, secret, sessionPath (null: fake tokens),
 *   repeat: { sessionToken, userId }, verify?(acknowledged, run) → { acknowledged, stored, lost } }.
 * `ctx`: { options, workDir, logFile, runId, log, budgetEndsAt }.
 */

/** Repeat identify: same session, user and profile every request. Warm-up, then `runs` measured runs. */
export async function measureRepeat(target, ctx) {
  const { options } = ctx;
  const job = (durationSec) => ({
    origins: originsOf(target),
    connections: options.connections,
    durationSec,
    identifyPath: target.identifyPath,
    secret: target.secret,
    kind: 'repeat',
    repeat: target.repeat,
  });
  await quiet(target, ctx);
  const warmup = await runLoad(job(options.warmup), { ...ctx, serverPids: pidsOf(target) });
  ctx.log(`  ${target.label} repeat warm-up: ${fmtRate(warmup.reqPerSec)} req/s (discarded)`);
  const runs = [];
  const discarded = [];
  for (let i = 1; i <= options.runs; i++) {
    for (let attempt = 1; ; attempt++) {
      await quiet(target, ctx);
      const run = await runLoad(job(options.duration), { ...ctx, serverPids: pidsOf(target) });
      const redo = busy(run) && attempt <= options.busyRetries && withinBudget(ctx);
      ctx.log(`  ${target.label} repeat run ${i}/${options.runs}: ${describe(run)}${redo ? ' — busy machine, run again' : ''}`);
      if (!redo) {
        runs.push(run);
        break;
      }
      discarded.push(run);
    }
  }
  return { warmup: strip(warmup), runs: runs.map(strip), discardedBusyRuns: discarded.map(strip), summary: summarizeCase(runs) };
}

/** A load job where every request identifies a new user on a fresh session; shared with the crash check. */
export function firstTimeJob(target, ctx, durationSec, tag, poolSize) {
  return {
    origins: originsOf(target),
    connections: ctx.options.connections,
    durationSec,
    identifyPath: target.identifyPath,
    secret: target.secret,
    kind: 'first-time',
    firstTime: {
      poolSize,
      sessionPath: target.sessionPath,
      anonPrefix: `anon-${ctx.runId}-${tag}-`,
      userPrefix: `u-${ctx.runId}-${tag}-`,
    },
  };
}

/**
 * First-time identify: a new userId on a fresh anonymous session every
 * request. The warm-up's rate sizes each run's pool of pre-minted sessions;
 * a run that exhausts its pool is thrown away and redone with a pool twice
 * as big. After every run (kept or not), `target.verify` checks that each
 * acknowledged user is stored.
 */
export async function measureFirstTime(target, ctx, rateHint) {
  const { options } = ctx;
  let jobs = 0;
  const job = (durationSec, poolSize) => firstTimeJob(target, ctx, durationSec, `f${++jobs}`, poolSize);
  const poolFor = (rate, seconds) => Math.max(options.connections * 4, Math.ceil(rate * seconds * POOL_MARGIN));

  await quiet(target, ctx);
  const warmup = await runLoad(job(options.warmup, poolFor(Math.max(rateHint, 1000), options.warmup)), {
    ...ctx,
    serverPids: pidsOf(target),
  });
  ctx.log(
    `  ${target.label} first-time warm-up: ${fmtRate(warmup.identifyRate)} identifies/s${warmup.exhausted ? ' (pool ran out; fine for a warm-up)' : ''} (discarded)`,
  );

  const runs = [];
  const discarded = [];
  const writes = [];
  let rate = warmup.identifyRate;
  let poolSize = poolFor(rate, options.duration);
  for (let i = 1; i <= options.runs; i++) {
    for (let attempt = 1, exhausted = 0; ; attempt++) {
      await quiet(target, ctx);
      const run = await runLoad(job(options.duration, poolSize), { ...ctx, serverPids: pidsOf(target) });
      rate = Math.max(rate, run.identifyRate);
      // Every acknowledged write must be stored, whether or not the run's timing is kept.
      const check = target.verify ? await target.verify(run.acknowledged, run) : null;
      if (check) writes.push(check);
      const sessions = `${run.poolSize} sessions minted in ${run.mintSeconds.toFixed(1)} s (not measured)`;
      const stored = check ? `; acknowledged ${check.acknowledged}, stored ${check.stored}, lost ${check.lost}` : '';
      if (run.exhausted) {
        if (++exhausted === MAX_POOL_ATTEMPTS)
          throw new Error(`${target.label} first-time run ${i}: the session pool ran out ${exhausted} times`);
        ctx.log(
          `  ${target.label} first-time run ${i}: the pool of ${poolSize} sessions ran out; minting ${poolSize * 2} and running again${stored}`,
        );
        poolSize *= 2;
        discarded.push(run);
        continue;
      }
      const redo = busy(run) && attempt <= options.busyRetries && withinBudget(ctx);
      ctx.log(
        `  ${target.label} first-time run ${i}/${options.runs}: ${describe(run)}; ${sessions}${stored}${redo ? ' — busy machine, run again' : ''}`,
      );
      if (!redo) {
        runs.push(run);
        break;
      }
      discarded.push(run);
    }
    poolSize = Math.max(poolSize, poolFor(rate, options.duration));
  }
  const sum = (field) => writes.reduce((n, w) => n + w[field], 0);
  return {
    warmup: strip(warmup),
    runs: runs.map(strip),
    discardedRuns: discarded.map(strip),
    summary: summarizeCase(runs),
    writes: target.verify ? { acknowledged: sum('acknowledged'), stored: sum('stored'), lost: sum('lost'), perRun: writes } : null,
  };
}

// Waiting and redoing runs stop once the run has used its time budget: on a
// machine that stays busy, the report flags the runs instead.
function withinBudget(ctx) {
  return Date.now() < ctx.budgetEndsAt;
}

function quiet(target, ctx) {
  const maxWaitMs = Math.min(ctx.options.waitQuiet * 1000, ctx.budgetEndsAt - Date.now());
  if (maxWaitMs <= 0) return Promise.resolve(false);
  return waitForQuiet({
    pids: pidsOf(target),
    postgresDatabase: ctx.options.pgDatabase,
    threshold: BUSY_OTHER_CORES / 2,
    maxWaitMs,
    log: ctx.log,
  });
}

function originsOf(target) {
  return target.origins ?? [target.origin];
}

function pidsOf(target) {
  return target.pids ?? [target.pid];
}

function busy(run) {
  return (run.cpu?.otherCores ?? 0) > BUSY_OTHER_CORES;
}

function describe(run) {
  const failed = run.non2xx + run.errors;
  const servers =
    run.cpu?.nodeCores.length > 1
      ? `servers ${run.cpu.nodeCores.map((c) => c.toFixed(2)).join(' + ')}`
      : `server ${run.cpu?.serverCores.toFixed(2)}`;
  const perNode = run.perNode?.length > 1 ? ` (per node ${run.perNode.map((n) => fmtRate(n / run.seconds)).join(' / ')})` : '';
  const cpu = run.cpu
    ? `; cpu: ${servers}, load ${run.cpu.loadGeneratorCores.toFixed(2)}, ${run.cpu.postgresCores > 0.005 ? `postgres ${run.cpu.postgresCores.toFixed(2)}, ` : ''}kernel ${run.cpu.kernelCores.toFixed(2)}, other ${run.cpu.otherCores.toFixed(2)} cores${busy(run) ? ' (BUSY MACHINE)' : ''}`
    : '';
  return `${fmtRate(run.reqPerSec)} req/s${perNode}, p99 ${fmtMs(run.p99)} ms${failed ? `, ${failed} FAILED requests (${JSON.stringify(run.statusCodes)}, ${run.errors} errors)` : ''}${cpu}`;
}

// The list of acknowledged userIds is for checking, not for the results file.
function strip(run) {
  const { acknowledged, ...rest } = run;
  return { ...rest, acknowledgedCount: acknowledged?.length ?? 0 };
}
