import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LUMIO_BIN, freePort, startServerProcess } from '../test-support/server-process.js';

const vectors = JSON.parse(fs.readFileSync(new URL('../../../protocol/test-vectors/user-id-signatures.json', import.meta.url), 'utf8')) as {
  vectors: Array<{ name: string; secret: string; userId: string | number; signature: string }>;
};

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-cli-'));
const lumio = (args: string[], options: { env?: Record<string, string>; input?: string } = {}) =>
  spawnSync(process.execPath, [LUMIO_BIN, ...args], {
    env: { ...process.env, LUMIO_DATA_DIR: dataDir, DATABASE_URL: '', LUMIO_MASTER_KEY: '', ...options.env },
    input: options.input ?? '',
    encoding: 'utf8',
  });

describe('lumio CLI', () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('sign prints the hex signature alone on its last line, for every shared test vector', () => {
    for (const v of vectors.vectors) {
      const out = execFileSync(process.execPath, [LUMIO_BIN, 'sign', String(v.userId), '--secret', v.secret], { encoding: 'utf8' });
      expect(out.trimEnd().split('\n').at(-1), v.name).toBe(v.signature);
    }
    const fromEnv = lumio(['sign', 'user_1'], { env: { LUMIO_SIGNING_SECRET: vectors.vectors[0]!.secret } });
    expect(fromEnv.status).toBe(0);
    const missing = lumio(['sign', 'user_1']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/--secret or LUMIO_SIGNING_SECRET/);
  });

  it('migrates, sets up the first owner from a terminal once, and issues reset links', () => {
    expect(lumio(['migrate']).stdout).toMatch(/Applied: 0001-initial/);
    expect(lumio(['migrate']).stdout).toMatch(/Already up to date/);
    const setup = lumio(['setup', '--email', 'owner@example.com', '--workspace', 'Acme', '--password-stdin'], {
      input: 'a long enough password\n',
    });
    expect(setup.status, setup.stderr).toBe(0);
    expect(setup.stdout).toMatch(/Created owner owner@example.com/);
    const again = lumio(['setup', '--email', 'x@example.com', '--workspace', 'B', '--password-stdin'], {
      input: 'a long enough password\n',
    });
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already done/);
    const reset = lumio(['reset-password', 'owner@example.com']);
    expect(reset.stdout).toMatch(/reset-password#token=lpr_/);
    expect(lumio(['reset-password', 'nobody@example.com']).status).toBe(1);
    // The embedded default keeps its master key in a 0600 file beside the database.
    expect(fs.statSync(path.join(dataDir, 'master.key')).mode & 0o777).toBe(0o600);
  });

  it('fails at start-up with a message naming the bad setting', () => {
    const bad = lumio(['migrate'], { env: { DATABASE_URL: 'postgres://127.0.0.1/x' } });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/LUMIO_MASTER_KEY is required with DATABASE_URL/);
    const port = lumio(['start'], { env: { PORT: 'eighty' } });
    expect(port.stderr).toMatch(/PORT/);
  });

  it('rotates the master key file and keeps secrets readable', () => {
    const before = fs.readFileSync(path.join(dataDir, 'master.key'), 'utf8');
    const rotated = lumio(['rotate-master-key']);
    expect(rotated.status, rotated.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dataDir, 'master.key'), 'utf8')).not.toBe(before);
    expect(lumio(['keygen']).stdout.trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('start makes the demo on a fresh embedded data dir and says where; --no-demo and NODE_ENV=production do not', async () => {
    const cases: Array<{ args: string[]; env: Record<string, string>; demo: boolean }> = [
      { args: [], env: {}, demo: true },
      { args: ['--no-demo'], env: {}, demo: false },
      { args: [], env: { NODE_ENV: 'production' }, demo: false },
    ];
    for (const { args, env, demo } of cases) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-demo-'));
      const server = await startServerProcess(
        { LUMIO_DATA_DIR: dir, DATABASE_URL: '', LUMIO_MASTER_KEY: '', ...env },
        await freePort(),
        args,
      );
      try {
        const label = JSON.stringify({ args, env });
        // The banner is printed once start-up has issued the setup token; the demo line comes with it.
        for (let i = 0; i < 100 && !server.stdout().includes('Finish setup'); i++) await new Promise((r) => setTimeout(r, 50));
        await new Promise((r) => setTimeout(r, 100));
        expect(server.stdout().includes(`${server.url.replace('127.0.0.1', 'localhost')}/demo`), label).toBe(demo);
        const page = await fetch(`${server.url}/demo`);
        expect(page.status, label).toBe(demo ? 200 : 404);
        if (demo) expect(await page.text()).toMatch(/LumioWidget\('init', \{ widgetId: "wgt_/);
      } finally {
        await server.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
