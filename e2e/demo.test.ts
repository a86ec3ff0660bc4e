// Demo mode as a newcomer meets it: `lumio start` on a fresh data dir, open
// /demo, sign in as a demo user, and the page's identify is verified by the
// server. The screenshot is CI's picture of the demo page.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { startLumio, type E2eServer } from './support/lumio-server.js';

const OUTPUT = new URL('./output/', import.meta.url);

describe.runIf(browserTestsEnabled())('demo mode in Chromium', () => {
  let lumio: E2eServer;
  let browser: Browser;
  let startedAt: number;

  beforeAll(async () => {
    startedAt = Date.now();
    lumio = await startLumio();
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await lumio?.stop();
  });

  it('shows a verified identify at /demo, recorded in the Demo workspace the setup owner now owns', async () => {
    const page = await browser.newPage();
    await page.goto(`${lumio.url}/demo`);
    await page.waitForFunction(() => (window as any).LumioWidget?.lumio);
    expect(await page.locator('#state').textContent()).toBe('anonymous');
    await page.getByRole('link', { name: 'Ada' }).click();
    await expect.poll(() => page.locator('#state').textContent()).toBe('verified');
    expect(await page.locator('#user').textContent()).toBe('Ada Lovelace');
    const secondsToVerified = (Date.now() - startedAt) / 1000;
    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: new URL('demo-verified.png', OUTPUT).pathname });
    process.stdout.write(
      `e2e: /demo verified ${secondsToVerified.toFixed(1)} s after lumio start began; screenshot e2e/output/demo-verified.png\n`,
    );

    const workspaces = (await lumio.api('GET', '/api/v1/workspaces')).body.workspaces as Array<{ id: string; name: string; role: string }>;
    const demo = workspaces.find((w) => w.name === 'Demo');
    expect(demo?.role).toBe('owner');
    const key = (await lumio.api('POST', `/api/v1/workspaces/${demo!.id}/api-keys`, { name: 'e2e' })).body.key as string;
    const user = await fetch(`${lumio.url}/server/v1/users/demo-ada`, { headers: { authorization: `Bearer ${key}` } });
    expect(await user.json()).toMatchObject({ trust: 'verified', email: 'ada@example.com', properties: { plan: 'pro', seats: 12 } });

    // Signing out resets the widget: a new anonymous id and no identity left in the browser.
    const widgetKey = await page.evaluate(() => Object.keys(localStorage).find((k) => k.startsWith('lumio_anon_'))!);
    const before = await page.evaluate((k) => localStorage.getItem(k), widgetKey);
    await page.getByRole('link', { name: 'sign out' }).click();
    await expect.poll(() => page.locator('#state').textContent()).toBe('anonymous');
    await expect.poll(() => page.evaluate((k) => localStorage.getItem(k), widgetKey)).not.toBe(before);
    await page.close();
  });
});
