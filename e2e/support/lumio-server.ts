import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// The server's own helper for a real `lumio start` (spawn, wait for /healthz, keep stdout).
import { freePort, request, startServerProcess } from '../../packages/server/src/test-support/server-process.js';

/** A real `lumio start` on 127.0.0.1 with a fresh data dir, set up, with its JSON log lines at hand. */
export interface E2eServer {
  url: string;
  /** The server's data dir (its SQLite file is `lumio.db` there). */
  dataDir: string;
  workspaceId: string;
  cookie: string;
  /** The server's log lines so far, parsed. */
  logLines(): Array<Record<string, unknown>>;
  api<T = any>(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: T }>;
  createWidget(body: Record<string, unknown>): Promise<{ id: string; secret: string }>;
  /** The id of the Demo workspace demo mode made (the setup owner owns it). */
  demoWorkspaceId(): Promise<string>;
  stop(): Promise<void>;
}

/** A `lumio start` whose setup is left to the test (the dashboard's first-run page): its setup token. */
export interface UnsetLumio {
  url: string;
  dataDir: string;
  setupToken: string;
  logLines(): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** Starts `lumio start` (with `env` on top), set up with an owner and workspace "E2E". */
export async function startLumio(env: Record<string, string> = {}): Promise<E2eServer> {
  const fresh = await startUnsetLumio(env);
  const { url, setupToken: token } = fresh;
  const setup = await fetch(`${url}/api/v1/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, email: 'owner@example.com', password: 'correct horse battery staple', workspaceName: 'E2E' }),
  });
  const cookie = setup.headers
    .getSetCookie()
    .find((c) => c.startsWith('lumio_session='))!
    .split(';')[0]!;
  const workspaceId = ((await setup.json()) as { workspace: { id: string } }).workspace.id;
  const api: E2eServer['api'] = (method, urlPath, body) => request(`${url}${urlPath}`, { method, body, headers: { cookie, origin: url } });
  return {
    url,
    dataDir: fresh.dataDir,
    workspaceId,
    cookie,
    logLines: fresh.logLines,
    api,
    async createWidget(body) {
      const res = await api('POST', `/api/v1/workspaces/${workspaceId}/widgets`, body);
      if (res.status !== 201) throw new Error(`widget: ${JSON.stringify(res.body)}`);
      return { id: res.body.id, secret: res.body.signingSecret.secret };
    },
    async demoWorkspaceId() {
      const workspaces = (await api('GET', '/api/v1/workspaces')).body.workspaces as Array<{ id: string; name: string }>;
      const demo = workspaces.find((w) => w.name === 'Demo');
      if (!demo) throw new Error(`no Demo workspace: ${JSON.stringify(workspaces)}`);
      return demo.id;
    },
    stop: fresh.stop,
  };
}

/** Starts `lumio start` on a fresh data dir (with `env` on top) and waits for the setup token it prints. */
export async function startUnsetLumio(env: Record<string, string> = {}): Promise<UnsetLumio> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Info level: the ordering test reads the server's request log.
  const server = await startServerProcess(
    { LUMIO_DATA_DIR: dataDir, LUMIO_LOG_LEVEL: 'info', LUMIO_PUBLIC_URL: url, DATABASE_URL: '', ...env },
    port,
  );
  const deadline = Date.now() + 20_000;
  let token: string | undefined;
  while (!(token = /token=(lsu_[A-Za-z0-9_-]+)/.exec(server.stdout())?.[1])) {
    if (Date.now() > deadline) throw new Error(`lumio printed no setup token: ${server.stdout()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    dataDir,
    setupToken: token,
    logLines: () =>
      server
        .stdout()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    async stop() {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
