import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/test-app.js';
import { DashboardApp } from './dashboard-app.js';

describe('dashboard app at /app', () => {
  let dist: string;
  let t: TestApp;
  let unbuilt: TestApp;
  beforeAll(async () => {
    // A build as Vite lays it out: index.html and hashed assets.
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'lumio-dashboard-'));
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(
      path.join(dist, 'index.html'),
      '<!doctype html><div id="root"></div><script type="module" src="/app/assets/index-abc123.js"></script>',
    );
    fs.writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log("dashboard")');
    t = await createTestApp('sqlite', { dashboard: new DashboardApp(dist) });
    unbuilt = await createTestApp('sqlite', { dashboard: new DashboardApp(null) });
  });
  afterAll(async () => {
    await t?.close();
    await unbuilt?.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it('answers every page of the app (the links Lumio hands out included) with the app, uncached, under a strict CSP', async () => {
    for (const url of [
      '/app',
      '/app/',
      '/app/setup',
      '/app/invite',
      '/app/reset-password',
      '/app/w/ws_1/widgets/wgt_1',
      '/app/anything?x=1',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toContain('<div id="root">');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    }
  });

  it('serves the hashed assets for good, and 404s a missing one rather than answering the page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/app/assets/index-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toMatch(/immutable/);
    expect(res.body).toBe('console.log("dashboard")');
    const missing = await t.app.inject({ method: 'GET', url: '/app/assets/gone-000.js' });
    expect(missing.statusCode).toBe(404);
    const escape = await t.app.inject({ method: 'GET', url: '/app/assets/..%2f..%2fpackage.json' });
    expect(escape.statusCode).toBe(404);
  });

  it('says plainly when the dashboard is not built', async () => {
    for (const url of ['/app/setup', '/app/assets/index-abc123.js']) {
      const res = await unbuilt.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('dashboard_unavailable');
    }
  });
});
