// npm run bench:targeting [-- --users N --runs N --passes N --core N]
//
// Evaluations per second of Lumio's compiled predicate over generated users
// for one realistic audience (equality + $in + numeric range + $or), beside a
// hand-written JS function for the same audience (the floor), GrowthBook's
// evalCondition, sift, mingo and json-logic-js. Each evaluator runs alone in
// its own process pinned to one core (taskset), warms up for one pass, and is
// timed over several passes; a run's figure is its median pass, and the
// report gives the median of the runs with its ratio to the floor. Also: the
// CPU time to choose among 500 live announcements for one user.
// See bench/targeting/README.md.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVALUATORS } from './evaluators.js';

const args = parseArgs(process.argv.slice(2));
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const log = (line = '') => process.stdout.write(`${line}\n`);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const pin = (command) => (hasTaskset() ? ['taskset', ['-c', String(args.core), ...command]] : [command[0], command.slice(1)]);
const node = (script, ...rest) => pin([process.execPath, '--enable-experimental-regexp-engine', path.join(here, script), ...rest]);

log(
  `bench:targeting — ${args.users.toLocaleString('en')} users, ${args.runs} runs × ${args.passes} timed passes, core ${args.core}${hasTaskset() ? '' : ' (no taskset: not pinned)'}`,
);
const results = [];
for (const name of Object.keys(EVALUATORS)) {
  const runs = [];
  let matches;
  for (let run = 0; run < args.runs; run++) {
    const [command, commandArgs] = node('worker.js', name, String(args.users), String(args.passes));
    const child = spawnSync(command, commandArgs, { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (child.status !== 0) throw new Error(`${name} failed: ${child.stderr}`);
    const line = JSON.parse(child.stdout.trim().split('\n').at(-1));
    matches ??= line.matches;
    if (line.matches !== matches) throw new Error(`${name} counted ${line.matches} matches, then ${matches}`);
    runs.push(median(line.passes));
  }
  results.push({ name, matches, runs, median: median(runs) });
  log(`  ${name}: ${runs.map((r) => Math.round(r).toLocaleString('en')).join(' / ')} evaluations/s`);
}
const floor = results[0];
for (const r of results)
  if (r.matches !== floor.matches) throw new Error(`${r.name} matched ${r.matches} users, the floor ${floor.matches}`);

const [command, commandArgs] = node('announcements-choice.js');
const choiceRun = spawnSync(command, commandArgs, { encoding: 'utf8' });
if (choiceRun.status !== 0) throw new Error(`announcements-choice.js failed (is the server built? npm run build): ${choiceRun.stderr}`);
const choice = JSON.parse(choiceRun.stdout.trim());

const ours = results.find((r) => r.name === 'Lumio compileCondition');
const libraries = results.filter((r) => r !== floor && r !== ours);
log();
log(`All ${results.length} evaluators agree: ${floor.matches.toLocaleString('en')} of ${args.users.toLocaleString('en')} users match.`);
log();
log('| evaluator | evaluations/s (median of runs) | ÷ floor | Lumio ÷ it |');
log('|---|---:|---:|---:|');
for (const r of results)
  log(
    `| ${r.name} | ${Math.round(r.median).toLocaleString('en')} | ${(r.median / floor.median).toFixed(3)} | ${(ours.median / r.median).toFixed(1)}× |`,
  );
log();
const ratio = ours.median / floor.median;
const slowestLead = Math.min(...libraries.map((l) => ours.median / l.median));
log(`Lumio ÷ floor = ${ratio.toFixed(2)} (target ≥ 0.70): ${ratio >= 0.7 ? 'MET' : 'MISSED'}`);
log(`Lumio ÷ fastest library = ${slowestLead.toFixed(1)}× (target > 15×): ${slowestLead > 15 ? 'MET' : 'MISSED'}`);
const deliveryCpu = median(choice.deliveryCpuMicros);
log(
  `Choosing among ${choice.announcements} live announcements for one user (the server's delivery on SQLite: profile and state reads, ` +
    `targeting, frequency, order; ${choice.users.toLocaleString('en')} users, ${choice.averageDelivered.toFixed(1)} delivered on average): ` +
    `${deliveryCpu.toFixed(1)} µs of CPU, ${median(choice.deliveryWallMicros).toFixed(1)} µs wall ` +
    `(median of ${choice.deliveryCpuMicros.length} runs; target < 1 ms of CPU): ${deliveryCpu < 1000 ? 'MET' : 'MISSED'}`,
);
log(`  of which the 500 compiled audiences alone: ${median(choice.predicateMicros).toFixed(1)} µs per user`);

const resultsDir = path.join(repoRoot, 'bench/results');
fs.mkdirSync(resultsDir, { recursive: true });
const file = path.join(resultsDir, `targeting-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15).toLowerCase()}.json`);
fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, args, results, choice }, null, 2));
log(`written ${path.relative(repoRoot, file)}`);

function hasTaskset() {
  return spawnSync('taskset', ['-c', '0', 'true']).status === 0;
}

function parseArgs(argv) {
  const out = { users: 1_000_000, runs: 3, passes: 5, core: 1 };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (key === 'help') {
      log('Usage: node bench/targeting/run.js [--users 1000000] [--runs 3] [--passes 5] [--core 1]');
      process.exit(0);
    }
    if (!(key in out)) throw new Error(`unknown option ${argv[i]}`);
    out[key] = Number(argv[++i]);
  }
  return out;
}
