// Choosing what one user sees among 500 live announcements: 500 compiled
// audiences (realistic mixes of the operators) evaluated for one user, the
// CPU cost per user of the delivery step. Prints JSON { perUserMicros: [...] }.
import { compileCondition } from '@lumio/targeting';
import { generateUsers } from './evaluators.js';

const ANNOUNCEMENTS = 500;
const plans = ['free', 'pro', 'team', 'enterprise'];
const countries = ['US', 'CA', 'GB', 'DE', 'FR', 'IN'];
const predicates = [];
for (let i = 0; i < ANNOUNCEMENTS; i++) {
  const shapes = [
    { plan: plans[i % 4] },
    { plan: { $in: [plans[i % 4], plans[(i + 1) % 4]] }, country: { $in: countries.slice(0, 1 + (i % 6)) } },
    { seats: { $gte: i % 50, $lt: 100 + (i % 200) }, $or: [{ role: 'admin' }, { beta: true }] },
    { $and: [{ plan: { $ne: 'free' } }, { email: { $regex: `^user${i % 10}` } }] },
    { country: { $nin: ['IN', 'BR'] }, trust: 'verified', name: { $exists: true } },
  ];
  predicates.push(compileCondition(shapes[i % shapes.length]));
}
const users = generateUsers(10_000, 7);
const choose = (user) => {
  const chosen = [];
  for (let i = 0; i < predicates.length; i++) if (predicates[i](user)) chosen.push(i);
  return chosen.length;
};
for (const user of users) choose(user); // warm-up
const perUserMicros = [];
for (let run = 0; run < 5; run++) {
  const started = process.hrtime.bigint();
  for (const user of users) choose(user);
  perUserMicros.push(Number(process.hrtime.bigint() - started) / 1e3 / users.length);
}
process.stdout.write(`${JSON.stringify({ announcements: ANNOUNCEMENTS, perUserMicros })}\n`);
