import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LUMIO_BIN } from '../test-support/server-process.js';
import { describeStartupFailure, redactUrl } from './startup-failure.js';

const MASTER_KEY = Buffer.alloc(32, 7).toString('base64');
const PASSWORD = 's3cr3t-Pa55';

/** Runs `lumio start` (or another command) to its end; asynchronous, so a test may hold a port meanwhile. */
function lumio(args: string[], env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [LUMIO_BIN, ...args], {
      env: { ...process.env, DATABASE_URL: '', LUMIO_MASTER_KEY: '', LUMIO_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** One line on stderr, no stack trace, exit code 1. */
function expectOneLine(result: { status: number | null; stderr: string }) {
  expect(result.status, result.stderr).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^lumio: cannot start: /);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return lines[0]!;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-startup-'));
afterAll(() => {
  readOnly?.undo();
  fs.rmSync(tmp, { recursive: true, force: true });
});

// Root writes through permission bits; a read-only mount stops it too.
const isRoot = process.getuid?.() === 0;
const readOnlyDir = path.join(tmp, 'ro');
fs.mkdirSync(readOnlyDir);
const readOnly = (() => {
  if (!isRoot) return { make: () => fs.chmodSync(readOnlyDir, 0o555), undo: () => fs.chmodSync(readOnlyDir, 0o755) };
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', readOnlyDir], { stdio: 'pipe' });
    return {
      make: () => execFileSync('mount', ['-o', 'remount,ro', readOnlyDir]),
      undo: () => {
        // Once: the test and afterAll both undo.
        if (fs.readFileSync('/proc/mounts', 'utf8').includes(` ${readOnlyDir} `)) execFileSync('umount', ['--lazy', readOnlyDir]);
      },
    };
  } catch (error) {
    console.warn(
      `startup-failure: skipping the read-only data dir test, cannot mount a tmpfs (${(error as Error).message.split('\n')[0]})`,
    );
    return undefined;
  }
})();

describe('lumio start: start-up failures', () => {
  it.skipIf(!readOnly)('a read-only data directory (with an existing database, and a fresh one under it)', async () => {
    const data = path.join(readOnlyDir, 'data');
    const migrated = await lumio(['migrate', '--data-dir', data], {});
    expect(migrated.status, migrated.stderr).toBe(0);
    readOnly!.make();
    try {
      for (const dir of [data, path.join(readOnlyDir, 'fresh')]) {
        const line = expectOneLine(await lumio(['start', '--port', '0', '--data-dir', dir], {}));
        expect(line).toContain(`the data directory ${dir} is read-only or not writable`);
        expect(line).toMatch(/make it writable by the user running lumio, or set LUMIO_DATA_DIR/);
      }
    } finally {
      readOnly!.undo();
    }
  });

  it('a data directory path that runs through a file', async () => {
    const file = path.join(tmp, 'a-file');
    fs.writeFileSync(file, '');
    const line = expectOneLine(await lumio(['start', '--port', '0', '--data-dir', path.join(file, 'data')], {}));
    expect(line).toContain(`the data directory ${path.join(file, 'data')} is not a directory`);
    expect(line).toContain('ENOTDIR');
  });

  it('an unreachable PostgreSQL: the URL is named with its password redacted', async () => {
    const url = `postgres://lumio:${PASSWORD}@127.0.0.1:1/lumio`;
    const result = await lumio(['start', '--port', '0'], { DATABASE_URL: url, LUMIO_MASTER_KEY: MASTER_KEY });
    const line = expectOneLine(result);
    expect(line).toContain('cannot connect to PostgreSQL at postgres://lumio:***@127.0.0.1:1/lumio');
    expect(line).toContain('ECONNREFUSED');
    expect(line).toMatch(/check that PostgreSQL is running/);
    expect(result.stderr + result.stdout).not.toContain(PASSWORD);
  });

  it('a DATABASE_URL that does not parse: redacted too', async () => {
    const result = await lumio(['start', '--port', '0'], {
      DATABASE_URL: `postgres://lumio:${PASSWORD}@:x/lumio`,
      LUMIO_MASTER_KEY: MASTER_KEY,
    });
    const line = expectOneLine(result);
    expect(line).toContain('DATABASE_URL is not a valid URL: postgres://lumio:***@:x/lumio');
    expect(result.stderr).not.toContain(PASSWORD);
  });

  it('a port in use', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const dir = path.join(tmp, 'port');
      const line = expectOneLine(await lumio(['start', '--port', String(port), '--host', '127.0.0.1', '--data-dir', dir], {}));
      expect(line).toContain(`cannot listen on port ${port}`);
    } finally {
      server.close();
    }
  });

  it('migrate fails the same way', async () => {
    const result = await lumio(['migrate'], {
      DATABASE_URL: `postgres://lumio:${PASSWORD}@127.0.0.1:1/lumio`,
      LUMIO_MASTER_KEY: MASTER_KEY,
    });
    expect(expectOneLine(result)).toContain('postgres://lumio:***@127.0.0.1:1/lumio');
  });
});

describe('describeStartupFailure and redactUrl', () => {
  it('redacts passwords, percent-encoded ones included, wherever they appear in the line', () => {
    expect(redactUrl('postgres://u:p%40ss@db:5432/x?sslmode=require')).toBe('postgres://u:***@db:5432/x?sslmode=require');
    expect(redactUrl('postgres://db/x')).toBe('postgres://db/x');
    const line = describeStartupFailure(new Error('bad thing near p@ss'), {
      databaseUrl: 'postgres://u:p%40ss@db:5432/x',
      dataDir: '/data',
      port: 8080,
    });
    expect(line).not.toContain('p@ss');
    expect(line).not.toContain('p%40ss');
  });
});
