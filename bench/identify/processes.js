import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

// Every process group this benchmark started and has not yet seen exit.
const live = new Set();

process.on('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    process.stderr.write(`\n${signal}: stopping every process the benchmark started\n`);
    process.exit(130);
  });
}

/**
 * Starts `command args` pinned to one CPU core with `taskset` (`core` null:
 * not pinned), in its own process group so it and anything it starts can be
 * killed together. stdout and stderr go to `logFile`; `onStdout` also sees
 * stdout.
 */
export function spawnPinned(core, command, args, { env, logFile, onStdout, cwd } = {}) {
  const log = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : null;
  const [file, argv] = core === null ? [command, args] : ['taskset', ['-c', String(core), command, ...args]];
  const child = spawn(file, argv, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
  child.stdout.on('data', (chunk) => {
    log?.write(chunk);
    onStdout?.(chunk.toString('utf8'));
  });
  child.stderr.on('data', (chunk) => log?.write(chunk));
  child.exited.then(() => log?.end());
  return child;
}

/** Sends a signal to the whole process group of a child started by {@link spawnPinned}. */
export function killGroup(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Stops a child gracefully (SIGTERM), then SIGKILLs its group if it has not exited in time. */
export async function stopGroup(child, graceMs = 10_000) {
  if (!live.has(child)) return child.exited;
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  const result = await child.exited;
  clearTimeout(timer);
  return result;
}

/** Kills a child's group at once (kill -9) and waits for it to go. */
export async function crashGroup(child) {
  killGroup(child, 'SIGKILL');
  return child.exited;
}

/** A TCP port that is free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Polls `GET origin/healthz` until it answers 200; fails if the child exits first or after `timeoutMs`. */
export async function waitHealthy(origin, child, { timeoutMs = 30_000, logFile } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!live.has(child)) throw new Error(`the process exited before it was healthy${logFile ? `; see ${logFile}` : ''}`);
    try {
      const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${origin}/healthz did not answer 200 within ${timeoutMs / 1000} s${logFile ? `; see ${logFile}` : ''}`);
}
