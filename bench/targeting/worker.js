// One evaluator, timed alone in its own process (so no evaluator's JIT state
// colours another's): warm-up pass, then timed passes over all users.
// Prints one JSON line: { name, matches, passes: [evaluations per second, …] }.
import { linearRegExpAvailable } from '@lumio/targeting';
import { EVALUATORS, generateUsers } from './evaluators.js';

const [name, usersArg, passesArg] = process.argv.slice(2);
const users = generateUsers(Number(usersArg));
const predicate = EVALUATORS[name]();
const pass = () => {
  let matches = 0;
  for (let i = 0; i < users.length; i++) if (predicate(users[i])) matches++;
  return matches;
};
const matches = pass(); // warm-up: the JIT settles on this pass
const passes = [];
for (let p = 0; p < Number(passesArg); p++) {
  const started = process.hrtime.bigint();
  if (pass() !== matches) throw new Error('an evaluator changed its mind between passes');
  passes.push(users.length / (Number(process.hrtime.bigint() - started) / 1e9));
}
process.stdout.write(`${JSON.stringify({ name, matches, passes, linearRegExp: linearRegExpAvailable() })}\n`);
