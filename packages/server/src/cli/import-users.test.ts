import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LUMIO_BIN, freePort, request, startServerProcess, type ServerProcess } from '../test-support/server-process.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-cli-import-'));

function lumio(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [LUMIO_BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

// Against a real `lumio start` process on SQLite, over a socket.
describe('lumio import users', () => {
  let server: ServerProcess;
  let apiKey: string;
  let workspaceId: string;
  let cookie: string;

  beforeAll(async () => {
    server = await startServerProcess(
      { LUMIO_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '', LUMIO_MASTER_KEY: '', LUMIO_DEMO: 'false' },
      await freePort(),
    );
    for (let i = 0; i < 100 && !/token=lsu_/.test(server.stdout()); i++) await new Promise((r) => setTimeout(r, 100));
    const token = /token=(lsu_[A-Za-z0-9_-]+)/.exec(server.stdout())![1];
    const setup = await fetch(`${server.url}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, email: 'cli@example.com', password: 'a long enough password', workspaceName: 'CLI' }),
    });
    cookie = setup.headers
      .getSetCookie()
      .find((c) => c.startsWith('lumio_session='))!
      .split(';')[0]!;
    workspaceId = ((await setup.json()) as { workspace: { id: string } }).workspace.id;
    const key = await request(`${server.url}/api/v1/workspaces/${workspaceId}/api-keys`, {
      method: 'POST',
      body: { name: 'cli' },
      headers: { cookie, origin: server.url },
    });
    apiKey = key.body.key;
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('streams a CSV file, shows progress on stderr, prints the summary and exits 0', async () => {
    const file = path.join(dir, 'users.csv');
    const lines = ['user_id,name,properties.plan'];
    for (let i = 0; i < 5000; i++) lines.push(`cli-${i},User ${i},pro`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const result = await lumio(['import', 'users', file, '--url', server.url, '--api-key', apiKey]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Imported 5000 rows in .* 5000 created, 0 updated, 0 failed\./);
    // Not a terminal here: plain lines, the last at 100%.
    expect(result.stderr).toMatch(/sent .* MiB \(100%\), \d+ rows\/s/);
    const user = await request(`${server.url}/server/v1/users/cli-4999`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(user.body).toMatchObject({ name: 'User 4999', properties: { plan: 'pro' } });
  });

  it('reads LUMIO_URL and LUMIO_API_KEY, lists the first errors and exits 1 on failed rows', async () => {
    const file = path.join(dir, 'users.ndjson');
    fs.writeFileSync(file, ['{"userId":"nd-ok"}', '{"userId":""}', 'not json', '{"userId":"nd-ok-2","name":"B"}'].join('\n'));
    const result = await lumio(['import', 'users', file], { LUMIO_URL: server.url, LUMIO_API_KEY: apiKey });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/Imported 2 rows .* 2 created, 0 updated, 2 failed\./);
    expect(result.stdout).toMatch(/line 2: .*\(invalid_user_id\)/);
    expect(result.stdout).toMatch(/line 3: .*not valid JSON.*\(invalid_request\)/);
  });

  it('says why it cannot run: no key, an unknown extension, a malformed file', async () => {
    const file = path.join(dir, 'users.csv');
    const noKey = await lumio(['import', 'users', file, '--url', server.url], { LUMIO_API_KEY: '' });
    expect(noKey.status).toBe(1);
    expect(noKey.stderr).toMatch(/--api-key or LUMIO_API_KEY/);
    const txt = path.join(dir, 'users.txt');
    fs.writeFileSync(txt, 'user_id\nx\n');
    const unknown = await lumio(['import', 'users', txt, '--url', server.url, '--api-key', apiKey]);
    expect(unknown.stderr).toMatch(/--format csv\|ndjson/);
    const broken = path.join(dir, 'broken.csv');
    fs.writeFileSync(broken, 'user_id,name\nb-1,A\nb-2,"B"x\n');
    const stopped = await lumio(['import', 'users', broken, '--url', server.url, '--api-key', apiKey]);
    expect(stopped.status).toBe(1);
    expect(stopped.stdout).toMatch(/Import stopped: Line 3: .*1 rows before it were stored.*\(import_malformed\)/);
  });
});
