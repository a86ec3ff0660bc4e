import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LUMIO_BIN } from '../test-support/server-process.js';
import { TestClock, createTestApp, type TestApp } from '../test-support/test-app.js';
import { call, login } from '../test-support/api-helpers.js';
import { createSqliteAdapter } from '../db/dialects/sqlite-dialect.js';

const OLD_PASSWORD = 'the owner’s forgotten passphrase';
const LINK_PASSWORD = 'chosen through the operator link';
const STDIN_PASSWORD = 'typed by the operator on stdin';

// The real command in a child process, against a temp SQLite data dir that an in-process app shares.
describe('lumio accounts reset-password', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-cli-reset-'));
  const lumio = (args: string[], input = '') =>
    spawnSync(process.execPath, [LUMIO_BIN, ...args], {
      env: { ...process.env, LUMIO_DATA_DIR: dataDir, DATABASE_URL: '', LUMIO_MASTER_KEY: '', LUMIO_PUBLIC_URL: 'https://lumio.test' },
      input,
      encoding: 'utf8',
    });
  let t: TestApp;
  let workspaceIds: string[];
  let accountId: string;
  const entries = (action: string) =>
    t.adapter.db
      .selectFrom('audit_log')
      .select(['workspace_id', 'actor_type', 'actor_id', 'target_id', 'details'])
      .where('action', '=', action)
      .orderBy('id')
      .execute();
  const me = (cookie: string) => call(t.app, { method: 'GET', url: '/api/v1/auth/me', cookie });

  beforeAll(async () => {
    const setup = lumio(['setup', '--email', 'owner@example.com', '--workspace', 'Acme', '--password-stdin'], `${OLD_PASSWORD}\n`);
    expect(setup.status, setup.stderr).toBe(0);
    const file = path.join(dataDir, 'lumio.db');
    t = await createTestApp('sqlite', {
      database: { dialect: 'sqlite', dataDir, sqliteFile: file, open: () => createSqliteAdapter(file), drop: async () => {} },
      masterKey: fs.readFileSync(path.join(dataDir, 'master.key'), 'utf8').trim(),
      // The CLI writes with the real clock; the app must agree on what has expired.
      clock: new TestClock(Date.now()),
    });
    const cookie = await login(t, 'owner@example.com', OLD_PASSWORD);
    const second = await call(t.app, { method: 'POST', url: '/api/v1/workspaces', cookie, payload: { name: 'Second' } });
    expect(second.status).toBe(201);
    const session = await me(cookie);
    accountId = session.body.account.id;
    workspaceIds = (session.body.workspaces as Array<{ id: string }>).map((w) => w.id).sort();
    expect(workspaceIds).toHaveLength(2);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints a one-time link, ends every session, and audits it in each workspace of the account; the link works once', async () => {
    const cookie = await login(t, 'owner@example.com', OLD_PASSWORD);
    const out = lumio(['accounts', 'reset-password', 'owner@example.com']);
    expect(out.status, out.stderr).toBe(0);
    const token = /https:\/\/lumio\.test\/app\/reset-password#token=(lpr_\S+)/.exec(out.stdout)?.[1];
    expect(token, out.stdout).toBeDefined();
    expect((await me(cookie)).status).toBe(401);

    const issued = await entries('account.password_reset_issue');
    expect(issued.map((e) => e.workspace_id).sort()).toEqual(workspaceIds);
    for (const entry of issued) expect(entry).toMatchObject({ actor_type: 'cli', actor_id: null, target_id: accountId });
    expect(JSON.stringify(issued)).toMatch(/operator \(CLI\)/);

    // An operator's link has no issuer whose memberships could lapse: it works for an owner.
    const used = await call(t.app, { method: 'POST', url: '/api/v1/auth/password-reset', payload: { token, password: LINK_PASSWORD } });
    expect(used.status, JSON.stringify(used.body)).toBe(200);
    const again = await call(t.app, {
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      payload: { token, password: 'yet another passphrase' },
    });
    expect(again.body.error.code).toBe('invalid_reset_token');
    await login(t, 'owner@example.com', LINK_PASSWORD);
  });

  it('sets a password read from stdin, ends every session and audits it; refuses a weak one and an unknown email, changing nothing', async () => {
    const cookie = await login(t, 'owner@example.com', LINK_PASSWORD);
    const weak = lumio(['accounts', 'reset-password', 'owner@example.com', '--password-stdin'], 'short\n');
    expect(weak.status).toBe(1);
    expect(weak.stderr).toMatch(/at least 10 characters/);
    const unknown = lumio(['accounts', 'reset-password', 'nobody@example.com', '--password-stdin'], `${STDIN_PASSWORD}\n`);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/No account with email nobody@example.com/);
    expect((await me(cookie)).status).toBe(200);
    // Only the link's use above, by the account itself, so far.
    expect((await entries('account.password_reset')).filter((e) => e.actor_type === 'cli')).toEqual([]);

    const out = lumio(['accounts', 'reset-password', 'owner@example.com', '--password-stdin'], `${STDIN_PASSWORD}\n`);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/Password set for owner@example.com/);
    expect((await me(cookie)).status).toBe(401);
    const byOperator = (await entries('account.password_reset')).filter((e) => e.actor_type === 'cli');
    expect(byOperator.map((e) => e.workspace_id).sort()).toEqual(workspaceIds);
    await login(t, 'owner@example.com', STDIN_PASSWORD);
    const old = await call(t.app, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'owner@example.com', password: LINK_PASSWORD },
    });
    expect(old.status).toBe(401);
  });
});
