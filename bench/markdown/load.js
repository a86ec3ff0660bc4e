// The load side of bench:markdown, run pinned to its own core by run.js:
// `node bench/markdown/load.js <job.json>`. Probes /healthz and a verified
// identify at a steady pace and records their latencies; with `renders: 4`,
// also keeps 4 worst-case Markdown documents in flight the whole time
// (article previews, and help imports followed until they end). Prints one
// JSON line with the latencies and the answers the renders got.
import fs from 'node:fs';
import { identifyBody } from '../identify/payload.js';

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const { origin, cookie, workspaceId, widgetId, secret, sessionToken, durationMs, warmupMs, renders, probeGapMs } = job;

// 100 k characters on which marked takes ~110 s in-process (see src/test-support/markdown-worst-cases.ts).
const WORST = '_*a'.repeat(33_333);
const dashboard = `${origin}/api/v1/workspaces/${workspaceId}`;
const headers = { 'content-type': 'application/json', cookie };
const identifyJson = identifyBody(secret, 'bench-user');

const startedAt = performance.now();
const endsAt = startedAt + warmupMs + durationMs;
const measuring = () => performance.now() >= startedAt + warmupMs;
const latencies = { healthz: [], identify: [] };
const answers = {};
const count = (key) => (answers[key] = (answers[key] ?? 0) + 1);

async function timed(kind, request) {
  const started = performance.now();
  const response = await request();
  await response.arrayBuffer();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`${kind} answered ${response.status}`);
  if (measuring()) latencies[kind].push(ms);
}

async function probe() {
  while (performance.now() < endsAt) {
    await timed('healthz', () => fetch(`${origin}/healthz`));
    await timed('identify', () =>
      fetch(`${origin}/widget/v1/${widgetId}/identify`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${sessionToken}` },
        body: identifyJson,
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, probeGapMs));
  }
}

async function previews() {
  while (performance.now() < endsAt) {
    const response = await fetch(`${dashboard}/help/articles/preview`, { method: 'POST', headers, body: JSON.stringify({ body: WORST }) });
    const body = await response.json();
    count(`preview ${response.status} ${body.error?.code ?? 'ok'}`);
    // rendering_busy: wait as Retry-After says (it does not happen with the default queue of 32).
    if (response.status === 503) await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function imports() {
  const files = [{ path: 'bench/worst.md', content: `---\ntitle: Worst\n---\n\n${WORST}` }];
  while (performance.now() < endsAt) {
    const started = await fetch(`${dashboard}/help/import`, { method: 'POST', headers, body: JSON.stringify({ files }) });
    const job = await started.json();
    if (started.status !== 202) {
      count(`import ${started.status} ${job.error?.code}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const state = await (await fetch(`${dashboard}/help/import/${job.jobId}`, { headers: { cookie } })).json();
      if (state.status === 'running') continue;
      count(`import job ${state.status} ${state.error?.code ?? 'ok'}`);
      break;
    }
  }
}

// One import loop (one import runs per workspace at a time), the rest previews.
const attackers = renders > 0 ? [imports(), ...Array.from({ length: renders - 1 }, () => previews())] : [];
await Promise.all([probe(), ...attackers]);
process.stdout.write(`${JSON.stringify({ latencies, answers })}\n`);
