// The load generator, run by load.js as `taskset -c 1 node load-generator.js <job.json>`
// so it never shares a core with the server it measures (with --nodes on a
// machine without a core to spare, it is not pinned: see node-pinning.js).
// Writes its result as JSON to job.resultFile.
//
// job: { origins (one per Lumio node; connections go to them in turn), connections, durationSec, identifyPath, secret, kind: 'repeat' | 'first-time',
//        repeat: { sessionToken, userId },
//        firstTime: { poolSize, sessionPath | null (floor: fake tokens), anonPrefix, userPrefix },
//        resultFile }
import fs from 'node:fs';
import autocannon from 'autocannon';
import { fakeSessionToken, identifyBody, newUserProfile } from './payload.js';

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const JSON_HEADERS = { 'content-type': 'application/json' };
// autocannon gives connection i to url i mod n: round-robin over the nodes,
// each connection staying on its node, with no proxy in between.
const TARGET_URL = job.origins.length === 1 ? job.origins[0] : job.origins;

let cpuAtStart;
const result = job.kind === 'repeat' ? await repeatIdentify() : await firstTimeIdentify();
// Own CPU while measuring, so the parent can tell what other processes used.
const cpu = process.cpuUsage(cpuAtStart);
result.loadGeneratorCpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write('done\n');
fs.writeFileSync(job.resultFile, JSON.stringify(result));

function startMeasuring() {
  cpuAtStart = process.cpuUsage();
  process.stdout.write('measuring\n');
}

/** The same user and profile on one session, every request. */
async function repeatIdentify() {
  const body = identifyBody(job.secret, job.repeat.userId);
  startMeasuring();
  const instance = autocannon({
    url: TARGET_URL,
    connections: job.connections,
    duration: job.durationSec,
    requests: [
      { method: 'POST', path: job.identifyPath, headers: { ...JSON_HEADERS, authorization: `Bearer ${job.repeat.sessionToken}` }, body },
    ],
  });
  const perNode = countPerNode(instance);
  const run = await instance;
  return summarize(run, { acknowledged: [], perNode });
}

/**
 * A new userId on a fresh anonymous session every request. The sessions are
 * minted first (not measured); each is used once, and when the pool runs out
 * the run stops and says so, so the caller can mint more and run again.
 */
async function firstTimeIdentify() {
  const { poolSize, sessionPath, anonPrefix, userPrefix } = job.firstTime;
  const mintStart = performance.now();
  const tokens = sessionPath
    ? await mintSessions(sessionPath, poolSize, anonPrefix)
    : Array.from({ length: poolSize }, (_, i) => fakeSessionToken(`${anonPrefix}${i}`));
  // Sign and serialize every request before measuring, so the load generator
  // spends its core on sending requests, not on HMACs.
  const pool = tokens.map((token, i) => {
    const userId = `${userPrefix}${i}`;
    return {
      headers: { ...JSON_HEADERS, authorization: `Bearer ${token}` },
      body: identifyBody(job.secret, userId, newUserProfile(userId)),
    };
  });
  const mintSeconds = (performance.now() - mintStart) / 1000;
  // Let the server settle (GC, connection teardown) after minting.
  await new Promise((resolve) => setTimeout(resolve, 500));

  const acknowledged = [];
  let verified = 0;
  let next = 0;
  let exhaustedAt = null;
  let instance;
  startMeasuring();
  const start = performance.now();
  instance = autocannon({
    url: TARGET_URL,
    connections: job.connections,
    duration: job.durationSec,
    requests: [
      {
        method: 'POST',
        path: job.identifyPath,
        headers: JSON_HEADERS,
        setupRequest: (request) => {
          if (next >= pool.length) {
            if (exhaustedAt === null) {
              exhaustedAt = performance.now();
              setImmediate(() => instance.stop());
            }
            // Never reuse a session: send a harmless request until autocannon stops.
            return { ...request, method: 'GET', path: '/healthz', headers: {}, body: '' };
          }
          const prepared = pool[next++];
          return { ...request, headers: prepared.headers, body: prepared.body };
        },
        onResponse: (status, body) => {
          if (status < 200 || status >= 300) return;
          try {
            const answer = JSON.parse(body);
            if (answer.state === 'verified') verified++;
            if (typeof answer.userId === 'string') acknowledged.push(answer.userId);
          } catch {
            // not an identify answer
          }
        },
      },
    ],
  });
  const perNode = countPerNode(instance);
  const run = await instance;
  const activeSeconds = ((exhaustedAt ?? performance.now()) - start) / 1000;
  return summarize(run, {
    acknowledged,
    // Verified answers per second while sessions lasted: sizes the next pool.
    identifyRate: verified / activeSeconds,
    poolSize: pool.length,
    used: Math.min(next, pool.length),
    exhausted: exhaustedAt !== null,
    mintSeconds,
    perNode,
  });
}

/** 2xx answers per origin, in the order of job.origins, filled in as the run goes: shows how evenly the nodes served. */
function countPerNode(instance) {
  const counts = job.origins.map(() => 0);
  instance.on('response', (client, status) => {
    const i = job.origins.indexOf(client.opts.origin);
    if (i >= 0 && status >= 200 && status < 300) counts[i]++;
  });
  return counts;
}

/** Starts `count` anonymous sessions with 50 concurrent requests; returns their tokens. */
async function mintSessions(sessionPath, count, anonPrefix) {
  const tokens = [];
  let i = 0;
  await autocannon({
    url: TARGET_URL,
    connections: Math.min(50, count),
    amount: count,
    requests: [
      {
        method: 'POST',
        path: sessionPath,
        headers: JSON_HEADERS,
        setupRequest: (request) => ({ ...request, body: JSON.stringify({ anonymousId: `${anonPrefix}${i++}` }) }),
        onResponse: (status, body) => {
          if (status === 200) tokens.push(JSON.parse(body).token);
        },
      },
    ],
  });
  if (tokens.length < count * 0.99) throw new Error(`minted only ${tokens.length} of ${count} sessions`);
  return tokens;
}

function summarize(run, extra) {
  return {
    seconds: run.duration,
    ok: run['2xx'],
    non2xx: run.non2xx,
    errors: run.errors,
    timeouts: run.timeouts,
    statusCodes: run.statusCodeStats,
    reqPerSec: run['2xx'] / run.duration,
    p50: run.latency.p50,
    p99: run.latency.p99,
    max: run.latency.max,
    ...extra,
  };
}
