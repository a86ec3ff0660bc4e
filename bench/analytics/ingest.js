// The ingestion part of bench:analytics: a fresh `lumio start` pinned to core 0
// (empty SQLite data dir, or an emptied PostgreSQL schema), set up through the
// API, and the load generator (ingest-load.js) pinned to core 1 posting event
// batches. Started by run.js; returns every run's figures.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { cpuBetween, cpuSnapshot, waitForQuiet } from '../identify/cpu-monitor.js';
import { LumioApi } from '../identify/lumio-api.js';
import { generateMasterKey, SERVER_CORE, startLumio } from '../identify/lumio-server.js';
import { spawnPinned, stopGroup } from '../identify/processes.js';
import { load } from './seeder.js';
import { createBenchContent, probeSearchProp } from './bench-content.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The core of the load generator (the server runs on SERVER_CORE). */
export const LOAD_CORE = 1;
/** The schema the PostgreSQL server of the ingestion part runs in (emptied first). */
export const INGEST_SCHEMA = 'lumio_bench_analytics_ingest';

/**
 * Measures ingestion on one database: `options` { repoRoot, workDir, pgUrl,
 * runs, runSeconds, warmupSeconds, connections, sessions, identified, log }.
 */
export async function measureIngestion(dialect, options) {
  const { repoRoot, workDir, log } = options;
  const dataDir = fs.mkdtempSync(path.join(workDir, `ingest-${dialect}-`));
  let databaseUrl;
  if (dialect === 'postgres') {
    const admin = new pg.Client({ connectionString: options.pgUrl });
    await admin.connect();
    await admin.query(`drop schema if exists ${INGEST_SCHEMA} cascade`);
    await admin.query(`create schema ${INGEST_SCHEMA}`);
    await admin.end();
    const url = new URL(options.pgUrl);
    url.searchParams.set('options', `-c search_path=${INGEST_SCHEMA}`);
    databaseUrl = url.toString();
  }
  // One IP sends everything: raise the per-IP batch limit and the workspace quota out of the way.
  process.env.LUMIO_RATE_EVENT_BATCHES_PER_IP = '100000000';
  process.env.LUMIO_EVENTS_PER_WORKSPACE_PER_MINUTE = '1000000000';
  const masterKey = generateMasterKey(repoRoot);
  const logFile = path.join(workDir, `ingest-${dialect}-server.log`);
  const cpuProfDir = options.profileDir ? path.join(options.profileDir, dialect) : undefined;
  const server = await startLumio({ repoRoot, dataDir, databaseUrl, masterKey, logFile, firstStart: true, cpuProfDir });
  let result;
  try {
    const api = new LumioApi(server.origin);
    const workspaceId = await api.setup(server.setupToken);
    const { widgetId, secret } = await api.createWidget(workspaceId, 'Ingestion benchmark');
    // Real articles (collections, tags) and announcements for the events to be about: interest profiles credit their topics.
    const content = await createBenchContent(api, workspaceId);
    const probe = await probeSearchProp(server.origin, widgetId, content.articles[0]);
    log(
      `  [${dialect}] ${content.articles.length} articles${content.tagged ? ', tagged' : ' (this build takes no tags)'}; ` +
        `$article_viewed ${probe.search ? 'with' : 'without'} the search prop`,
    );
    // On a 2-core machine another busy process halves the figures: wait (a while) for it to finish.
    await waitForQuiet({ pids: [server.child.pid], threshold: 0.15, maxWaitMs: 30_000, log });
    result = await drive(server, { ...options, widgetId, secret, dialect, content, searchProp: probe.search });
    result.acknowledged += probe.accepted;
  } finally {
    await stopGroup(server.child, 20_000);
  }
  // Everything acknowledged must be stored: count it with the server stopped.
  const counted = await storedEvents(dialect, dataDir, options.pgUrl);
  result.stored = counted.events;
  result.interestRows = counted.interestRows;
  fs.rmSync(dataDir, { recursive: true, force: true });
  log(
    `  [${dialect}] stored ${result.stored.toLocaleString('en')} events, acknowledged ${result.acknowledged.toLocaleString('en')}` +
      (result.stored === result.acknowledged ? '' : ' — MISMATCH') +
      (counted.interestRows === null
        ? '; no interest profiles in this build'
        : `; ${counted.interestRows.toLocaleString('en')} interest rows`),
  );
  return result;
}

function drive(server, { origin = server.origin, widgetId, secret, dialect, workDir, log, ...o }) {
  const job = {
    origin,
    widgetId,
    secret,
    sessions: o.sessions,
    identified: o.identified,
    connections: o.connections,
    batch: 100,
    warmupSeconds: o.warmupSeconds,
    runSeconds: o.runSeconds,
    runs: o.runs,
    articles: o.content.articles,
    linkedAnnouncement: o.content.linkedAnnouncement,
    plainAnnouncement: o.content.plainAnnouncement,
    searchProp: o.searchProp,
  };
  return new Promise((resolve, reject) => {
    let buffer = '';
    let before = null;
    const runs = [];
    let warmup = null;
    const logFile = path.join(workDir, `ingest-${dialect}-load.log`);
    const child = spawnPinned(LOAD_CORE, process.execPath, [path.join(here, 'ingest-load.js'), JSON.stringify(job)], {
      logFile,
      onStdout: (text) => {
        buffer += text;
        let newline;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          const message = JSON.parse(line);
          if (message.ready) log(`  [${dialect}] ${message.sessions} sessions started; warming up ${o.warmupSeconds} s`);
          else if (message.warmup) warmup = message;
          else if (message.starting !== undefined) before = cpuSnapshot([server.child.pid, child.pid]);
          else if (message.run !== undefined) {
            const cpu = cpuBetween(before, cpuSnapshot([server.child.pid, child.pid]));
            const run = {
              ...message,
              serverCores: cpu?.ownCores[server.child.pid] ?? null,
              loadCores: cpu?.ownCores[child.pid] ?? null,
              postgresCores: cpu?.postgresCores ?? null,
              otherCores: cpu?.otherCores ?? null,
            };
            runs.push(run);
            log(
              `  [${dialect}] run ${runs.length}/${o.runs}: ${Math.round(run.eventsPerSecond).toLocaleString('en')} events/s, ` +
                `batch p50 ${run.p50.toFixed(1)} ms p99 ${run.p99.toFixed(1)} ms, server cpu ${fmt(run.serverCores)}, ` +
                `pg ${fmt(run.postgresCores)}, other ${fmt(run.otherCores)}` +
                (run.failures ? `, ${run.failures} failed requests ${JSON.stringify(run.statuses)}` : ''),
            );
          }
        }
      },
    });
    child.exited.then(({ code }) => {
      if (code !== 0) return reject(new Error(`the load generator exited with ${code}; see ${logFile}`));
      const acknowledged = (warmup?.accepted ?? 0) + runs.reduce((sum, r) => sum + r.accepted, 0);
      resolve({ dialect, connections: o.connections, sessions: o.sessions, warmup, runs, acknowledged, serverCore: SERVER_CORE });
    });
  });
}

async function storedEvents(dialect, dataDir, pgUrl) {
  if (dialect === 'postgres') {
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    try {
      const { rows } = await client.query(`select count(*)::int as n from ${INGEST_SCHEMA}.events`);
      // A build without interest profiles has no such table.
      const interests = await client.query(`select count(*)::int as n from ${INGEST_SCHEMA}.interest_scores`).catch(() => null);
      await client.query(`drop schema ${INGEST_SCHEMA} cascade`);
      return { events: rows[0].n, interestRows: interests ? interests.rows[0].n : null };
    } finally {
      await client.end();
    }
  }
  const { createSqliteAdapter } = await load('db/dialects/sqlite-dialect.js');
  const adapter = createSqliteAdapter(path.join(dataDir, 'lumio.db'));
  try {
    const count = (table) =>
      adapter.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
        .then((row) => Number(row.n));
    return { events: await count('events'), interestRows: await count('interest_scores').catch(() => null) };
  } finally {
    await adapter.destroy();
  }
}

const fmt = (value) => (value === null || value === undefined ? '—' : value.toFixed(2));
