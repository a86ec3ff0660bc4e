import { firstTimeJob } from './cases.js';
import { runLoad } from './load.js';
import { fmtRate } from './report.js';
import { startLumioTarget } from './targets.js';

/**
 * The crash variant of "no acknowledged write lost": first-time identify
 * load, `kill -9` of the server half-way through, a restart on the same data
 * dir (or database), and a check that every userId the load generator got a
 * 2xx for is stored. Repeated `options.runs` times on one server data set.
 */
export async function crashTest(database, ctx) {
  const { options } = ctx;
  const target = await startLumioTarget(database, ctx);
  const rounds = [];
  try {
    const job = (durationSec, tag, poolSize) => firstTimeJob(target, ctx, durationSec, tag, poolSize);
    const warmup = await runLoad(job(options.warmup, 'w', 3000 * options.warmup), ctx);
    ctx.log(`  ${database} crash warm-up: ${fmtRate(warmup.identifyRate)} identifies/s`);
    const poolSize = Math.ceil(warmup.identifyRate * options.duration * 1.5);

    for (let i = 1; i <= options.runs; i++) {
      const killAfterMs = (options.duration * 1000) / 2;
      let timer;
      let killed = null;
      const kill = () => {
        clearTimeout(timer);
        killed ??= { at: Date.now(), done: target.crash() };
        return killed.done;
      };
      let measuringSince = 0;
      const run = await runLoad(job(options.duration, `c${i}`, poolSize), {
        ...ctx,
        onMeasuring: () => {
          measuringSince = Date.now();
          timer = setTimeout(kill, killAfterMs);
        },
      });
      const midRun = killed !== null;
      await kill();
      const killedAfter = ((killed.at - measuringSince) / 1000).toFixed(1);
      await target.restart();
      const check = await target.verify(run.acknowledged);
      const round = { round: i, killedAfterSeconds: Number(killedAfter), midRun, requestErrors: run.errors, ...check };
      rounds.push(round);
      ctx.log(
        `  ${database} crash round ${i}/${options.runs}: kill -9 ${midRun ? `${killedAfter} s into the run` : 'after the run (the pool ran out first)'}, ` +
          `restarted; acknowledged ${check.acknowledged}, stored ${check.stored}, lost ${check.lost}`,
      );
    }
  } finally {
    await target.stop();
  }
  const lost = rounds.reduce((n, r) => n + r.lost, 0);
  return {
    rounds,
    acknowledged: rounds.reduce((n, r) => n + r.acknowledged, 0),
    stored: rounds.reduce((n, r) => n + r.stored, 0),
    lost,
    verdict: lost === 0 ? 'PASS' : 'MISS',
  };
}
