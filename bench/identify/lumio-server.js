import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { freePort, spawnPinned, waitHealthy } from './processes.js';

const SETUP_TOKEN = /token=(lsu_[A-Za-z0-9_-]+)/;

/** Core the servers (Lumio, floor) run on; the load generator gets the other one. */
export const SERVER_CORE = 0;

/** Generates a master key with the Lumio CLI (`lumio keygen`). */
export function generateMasterKey(repoRoot) {
  return execFileSync(process.execPath, [path.join(repoRoot, 'packages/server/bin/lumio.js'), 'keygen'], { encoding: 'utf8' }).trim();
}

/**
 * Starts `lumio start` pinned to `settings.core` ({@link SERVER_CORE} unless
 * given), with the identify rate limits raised (one load-generator IP would
 * trip them otherwise), and waits for /healthz. On a first start, also waits
 * for the printed setup token.
 *
 * `settings`: { repoRoot, dataDir, databaseUrl?, masterKey, logFile, port?, core?, firstStart, cpuProfDir?, env? }
 */
export async function startLumio(settings) {
  const port = settings.port ?? (await freePort());
  const core = settings.core ?? SERVER_CORE;
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LUMIO_DATA_DIR: settings.dataDir,
    LUMIO_LOG_LEVEL: 'warn',
    LUMIO_MASTER_KEY: settings.masterKey,
    LUMIO_RATE_IDENTIFY_PER_IP: '100000000',
    LUMIO_RATE_IDENTIFY_PER_WIDGET: '100000000',
    LUMIO_RATE_IDENTIFY_FAILURES_PER_SOURCE: '100000000',
    ...settings.env,
  };
  delete env.DATABASE_URL;
  if (settings.databaseUrl) env.DATABASE_URL = settings.databaseUrl;
  const nodeArgs = settings.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${settings.cpuProfDir}`] : [];
  let stdout = '';
  let onToken;
  const token = new Promise((resolve) => (onToken = resolve));
  const child = spawnPinned(core, process.execPath, [...nodeArgs, path.join(settings.repoRoot, 'packages/server/bin/lumio.js'), 'start'], {
    env,
    cwd: settings.repoRoot,
    logFile: settings.logFile,
    onStdout: (text) => {
      stdout += text;
      const match = SETUP_TOKEN.exec(stdout);
      if (match) onToken(match[1]);
    },
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitHealthy(origin, child, { logFile: settings.logFile });
  let setupToken = null;
  if (settings.firstStart) {
    const timeout = new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`no setup token printed; see ${settings.logFile}`)), 10_000).unref(),
    );
    setupToken = await Promise.race([token, timeout]);
  }
  return {
    child,
    origin,
    port,
    setupToken,
    command: `${core === null ? '' : `taskset -c ${core} `}node ${nodeArgs.join(' ')}${nodeArgs.length ? ' ' : ''}packages/server/bin/lumio.js start`,
  };
}
