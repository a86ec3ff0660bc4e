// Choosing what one user sees among 500 live announcements, measured two ways:
//
// - delivery: the server's real AnnouncementDelivery.forSession on an embedded
//   SQLite database (500 live announcements with realistic audiences, 2,000
//   stored users with some seen/dismissed state): the stored profile read, the
//   viewer's state read, visibility, targeting, frequency and ordering. SQLite
//   runs in this thread, so process CPU time covers all of it.
// - predicates only: the 500 compiled audiences evaluated for one user.
//
// Prints JSON { announcements, users, deliveryCpuMicros: [...], deliveryWallMicros: [...], predicateMicros: [...] }.
// Needs the server built (npm run build).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileCondition } from '@lumio/targeting';
import { generateUsers } from './evaluators.js';
import { loadConfig } from '../../packages/server/dist/config/config.js';
import { createApp } from '../../packages/server/dist/http/create-app.js';

const ANNOUNCEMENTS = 500;
const USERS = 2000;
const RUNS = 3;
const plans = ['free', 'pro', 'team', 'enterprise'];
const countries = ['US', 'CA', 'GB', 'DE', 'FR', 'IN'];
const conditions = [];
for (let i = 0; i < ANNOUNCEMENTS; i++) {
  const shapes = [
    { plan: plans[i % 4] },
    { plan: { $in: [plans[i % 4], plans[(i + 1) % 4]] }, country: { $in: countries.slice(0, 1 + (i % 6)) } },
    { seats: { $gte: i % 50, $lt: 100 + (i % 200) }, $or: [{ role: 'admin' }, { beta: true }] },
    { $and: [{ plan: { $ne: 'free' } }, { email: { $regex: `^user${i % 10}` } }] },
    { country: { $nin: ['IN', 'BR'] }, trust: 'verified', name: { $exists: true } },
  ];
  conditions.push(shapes[i % shapes.length]);
}
const users = generateUsers(USERS, 7);

// The predicates alone, as before: what targeting costs without any I/O.
const predicates = conditions.map((c) => compileCondition(c));
const choose = (user) => {
  let chosen = 0;
  for (let i = 0; i < predicates.length; i++) if (predicates[i](user)) chosen++;
  return chosen;
};
for (const user of users) choose(user);
const predicateMicros = [];
for (let run = 0; run < RUNS; run++) {
  const started = process.hrtime.bigint();
  for (let pass = 0; pass < 5; pass++) for (const user of users) choose(user);
  predicateMicros.push(Number(process.hrtime.bigint() - started) / 1e3 / (users.length * 5));
}

// The real delivery on a real database.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-bench-choice-'));
const config = loadConfig({
  LUMIO_DATA_DIR: dataDir,
  LUMIO_MASTER_KEY: crypto.randomBytes(32).toString('base64'),
  LUMIO_LOG_LEVEL: 'silent',
  LUMIO_DEMO: 'false',
});
const lumio = await createApp({ config, defaultMetrics: false });
const { services, deps } = lumio;
const actor = { type: 'cli', id: null, ip: null };
const workspace = await services.workspaces.create('Bench', null, actor);
const kinds = ['popup', 'banner', 'post', 'post'];
const frequencies = ['once', 'until_dismissed', 'every_session'];
const created = [];
for (let i = 0; i < ANNOUNCEMENTS; i++) {
  const a = await services.announcements.create(
    workspace.id,
    {
      kind: kinds[i % kinds.length],
      title: `Announcement ${i}`,
      body: `Body of **announcement ${i}** with [a link](https://example.com/${i}).`,
      audience: { condition: conditions[i], visibility: i % 7 === 0 ? 'verified' : 'everyone' },
      frequency: frequencies[i % frequencies.length],
      priority: i % 20,
      status: 'live',
    },
    actor,
  );
  created.push(a.id);
}
const now = Date.now();
await deps.db.transaction().execute(async (trx) => {
  for (const [i, user] of users.entries()) {
    const { userId, trust, email, name, ...properties } = user;
    const sources = Object.fromEntries([
      ...Object.keys(properties).map((k) => [`properties.${k}`, 'trusted']),
      ['email', 'trusted'],
      ['name', 'trusted'],
    ]);
    await trx
      .insertInto('users')
      .values({
        workspace_id: workspace.id,
        user_id: userId,
        name,
        email,
        birthday: null,
        gender: null,
        properties: JSON.stringify(properties),
        sources: JSON.stringify(sources),
        trust,
        created_at: now,
        updated_at: now,
        last_seen_at: now,
      })
      .execute();
    // Some history: each user has seen a few announcements and dismissed one.
    for (let k = 0; k < 4; k++) {
      await trx
        .insertInto('announcement_states')
        .values({
          workspace_id: workspace.id,
          announcement_id: created[(i * 7 + k * 31) % created.length],
          viewer: `v:${userId}`,
          seen_at: now,
          clicked_at: null,
          dismissed_at: k === 0 ? now : null,
        })
        .execute();
    }
  }
});

const sessions = users.map((u) => ({ state: 'verified', userId: u.userId, anonymousId: `anon_${u.userId}` }));
let delivered = 0;
for (const session of sessions) delivered += (await services.delivery.forSession(workspace.id, session)).length; // warm-up
const deliveryCpuMicros = [];
const deliveryWallMicros = [];
for (let run = 0; run < RUNS; run++) {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (const session of sessions) await services.delivery.forSession(workspace.id, session);
  const wall = Number(process.hrtime.bigint() - started) / 1e3;
  const used = process.cpuUsage(cpu);
  deliveryWallMicros.push(wall / sessions.length);
  deliveryCpuMicros.push((used.user + used.system) / sessions.length);
}
await lumio.close();
fs.rmSync(dataDir, { recursive: true, force: true });
process.stdout.write(
  `${JSON.stringify({
    announcements: ANNOUNCEMENTS,
    users: USERS,
    averageDelivered: delivered / sessions.length,
    deliveryCpuMicros,
    deliveryWallMicros,
    predicateMicros,
  })}\n`,
);
