import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { LumioApi } from './lumio-api.js';
import { generateMasterKey, SERVER_CORE, startLumio } from './lumio-server.js';
import { fakeSessionToken, identifyBody } from './payload.js';
import { crashGroup, freePort, spawnPinned, stopGroup, waitHealthy } from './processes.js';

const FLOOR_SERVER = fileURLToPath(new URL('./floor-server.js', import.meta.url));
const FASTIFY_REFERENCE_SERVER = fileURLToPath(new URL('./fastify-reference-server.js', import.meta.url));

/** The Fastify references measured beside the floor (see fastify-reference-server.js). */
export const FASTIFY_REFERENCES = Object.freeze({
  bare: 'fastify, bare route',
  'lumio-stack': "fastify + Lumio's route stack",
});

/** The userId of the repeat case. */
const REPEAT_USER = 'u-repeat-0001';

/** Starts the floor server pinned to the server core; returns a target (see cases.js) with stop(). */
export function startFloor(ctx) {
  return startFloorLike(ctx, 'floor', FLOOR_SERVER, {});
}

/** Starts a Fastify reference (`stack`: a key of FASTIFY_REFERENCES) like the floor. */
export function startFastifyReference(ctx, stack) {
  return startFloorLike(ctx, `fastify-${stack}`, FASTIFY_REFERENCE_SERVER, { STACK: stack });
}

async function startFloorLike({ workDir }, label, script, env) {
  const port = await freePort();
  const secret = crypto.randomBytes(32).toString('base64url');
  const logFile = path.join(workDir, `${label}.log`);
  const child = spawnPinned(SERVER_CORE, process.execPath, [script], {
    env: { ...process.env, ...env, PORT: String(port), FLOOR_SECRET: secret },
    logFile,
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitHealthy(origin, child, { logFile });
  return {
    label,
    origin,
    identifyPath: '/widget/v1/wgt_floor/identify',
    secret,
    sessionPath: null,
    repeat: { sessionToken: fakeSessionToken('anon-repeat-0001'), userId: REPEAT_USER },
    pid: child.pid,
    command: `${Object.entries(env)
      .map(([k, v]) => `${k}=${v} `)
      .join('')}taskset -c ${SERVER_CORE} node bench/identify/${path.basename(script)}`,
    stop: () => stopGroup(child),
  };
}

/**
 * Whether PostgreSQL answers at `adminUrl`; null when it does, else the reason.
 */
export async function postgresUnreachable(adminUrl) {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (error) {
    return error.message || String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Drops and recreates the benchmark database; returns its URL. */
export async function freshPostgresDatabase(adminUrl, name) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Starts a fresh Lumio (new data dir, or a new PostgreSQL database), runs
 * setup, creates a widget and an API key, and starts the repeat session.
 * Returns a target (see cases.js) with stop(), crash() and restart(), and
 * the `settings` it was started with (to start more nodes on its database).
 * `name` names its log file and profile directory (default: the database);
 * `core` is the core it is pinned to (default SERVER_CORE).
 */
export async function startLumioTarget(database, { repoRoot, workDir, options }, { name = database, core = SERVER_CORE } = {}) {
  const dataDir = fs.mkdtempSync(path.join(workDir, `${name}-data-`));
  const databaseUrl = database === 'postgres' ? await freshPostgresDatabase(options.pgAdminUrl, options.pgDatabase) : undefined;
  const settings = {
    repoRoot,
    dataDir,
    databaseUrl,
    core,
    masterKey: generateMasterKey(repoRoot),
    logFile: path.join(workDir, `${name}-server.log`),
    cpuProfDir: options.profileDir ? path.join(options.profileDir, name) : undefined,
  };
  let server = await startLumio({ ...settings, firstStart: true });
  const api = new LumioApi(server.origin);
  const workspaceId = await api.setup(server.setupToken);
  const { widgetId, secret } = await api.createWidget(workspaceId, 'Benchmark widget');
  await api.createApiKey(workspaceId);
  const sessionToken = await api.startSession(widgetId, 'anon-repeat-0001');
  // The repeat case measures an unchanged profile: store it once before measuring.
  const first = await api.identify(widgetId, sessionToken, identifyBody(secret, REPEAT_USER));
  if (first.state !== 'verified') throw new Error(`the first identify answered state ${first.state}, expected verified`);

  const target = {
    label: database,
    get origin() {
      return server.origin;
    },
    identifyPath: `/widget/v1/${widgetId}/identify`,
    secret,
    sessionPath: `/widget/v1/${widgetId}/session`,
    repeat: { sessionToken, userId: REPEAT_USER },
    get command() {
      return server.command;
    },
    get pid() {
      return server.child.pid;
    },
    dataDir,
    databaseUrl,
    settings,
    logFile: settings.logFile,
    /** Checks through the server API that every acknowledged userId is stored. */
    async verify(acknowledged, run) {
      const stored = await api.storedUserIds();
      const found = acknowledged.filter((id) => stored.has(id)).length;
      return {
        acknowledged: acknowledged.length,
        stored: found,
        lost: acknowledged.length - found,
        unmatched2xx: run ? run.ok - acknowledged.length : 0,
      };
    },
    /** Stops the server gracefully (SIGTERM), which also writes its CPU profile when profiling. */
    stop: () => stopGroup(server.child, 20_000),
    /** kill -9 of the server's process group. */
    crash: () => crashGroup(server.child),
    /** Starts the server again on the same data dir / database. */
    async restart() {
      server = await startLumio({ ...settings, firstStart: false });
      api.origin = server.origin;
    },
  };
  return target;
}

/**
 * Starts `cores.length` Lumio nodes on one fresh PostgreSQL database, node i
 * pinned to cores[i] (null: not pinned), all with the same master key and
 * settings on their own ports. Setup, the widget, the API key and the repeat
 * session go through the first node only: the others find them in the
 * database. Returns a target (see cases.js) with `origins` and `pids`, one
 * per node, `commands` and stop().
 */
export async function startLumioNodes(ctx, cores, name) {
  // Log files and profile directories: `name` alone for one node, `name-1`, `name-2`… for several.
  const nodeName = (i) => (cores.length === 1 ? name : `${name}-${i + 1}`);
  const first = await startLumioTarget('postgres', ctx, { name: nodeName(0), core: cores[0] });
  const others = [];
  const stop = () => Promise.all([first.stop(), ...others.map((node) => stopGroup(node.child, 20_000))]);
  try {
    for (let i = 1; i < cores.length; i++) {
      const profileDir = ctx.options.profileDir;
      others.push(
        await startLumio({
          ...first.settings,
          core: cores[i],
          logFile: path.join(ctx.workDir, `${nodeName(i)}-server.log`),
          cpuProfDir: profileDir ? path.join(profileDir, nodeName(i)) : undefined,
          firstStart: false,
        }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    label: name,
    origin: first.origin,
    origins: [first.origin, ...others.map((node) => node.origin)],
    pid: first.pid,
    pids: [first.pid, ...others.map((node) => node.child.pid)],
    commands: [first.command, ...others.map((node) => node.command)],
    identifyPath: first.identifyPath,
    secret: first.secret,
    sessionPath: first.sessionPath,
    repeat: first.repeat,
    databaseUrl: first.databaseUrl,
    verify: first.verify,
    stop,
  };
}
