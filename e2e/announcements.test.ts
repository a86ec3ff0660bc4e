// Targeted announcements end to end: a real `lumio start` in demo mode, the
// demo host app at /demo, Ada (plan pro) and Grace (plan free) signing in with
// a verified identify, and announcements written through the dashboard API.
// Targeting, frequency and the dismissed state are the server's; the popup,
// banner and feed are widget.js in the page. The screenshots are CI's
// picture of a popup and a banner.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { startLumio, type E2eServer } from './support/lumio-server.js';

const OUTPUT = new URL('./output/', import.meta.url);
const POPUP_TITLE = 'Free plan: 20% off Pro this week';
// Seeded by demo mode for free-plan users (see DemoService).
const BANNER_TITLE = 'You are on the Free plan';

describe.runIf(browserTestsEnabled())('targeted announcements in Chromium', () => {
  let lumio: E2eServer;
  let browser: Browser;
  let demoWorkspace: string;
  let popupId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    lumio = await startLumio();
    browser = await launchChromium();
    demoWorkspace = await lumio.demoWorkspaceId();
    const created = await lumio.api('POST', `/api/v1/workspaces/${demoWorkspace}/announcements`, {
      kind: 'popup',
      title: POPUP_TITLE,
      body: 'Upgrade before Friday and **save 20%**. <script>window.pwned = true</script>',
      cta: { label: 'Upgrade', url: 'https://example.com/upgrade' },
      audience: { condition: { plan: 'free' }, visibility: 'verified' },
      frequency: 'until_dismissed',
      priority: 10,
      status: 'live',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    popupId = created.body.id;
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await lumio?.stop();
  });

  const signIn = async (user: 'ada' | 'grace'): Promise<Page> => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${lumio.url}/demo/login?user=${user}`);
    await expect.poll(() => page.locator('#state').textContent()).toBe('verified');
    return page;
  };
  const popup = (page: Page) => page.getByRole('dialog', { name: POPUP_TITLE });
  const banner = (page: Page) => page.getByRole('region', { name: BANNER_TITLE });
  // The widget fetches when it loads and again after identify: wait until both answers are in and rendered.
  const settled = async (page: Page) => {
    await expect.poll(() => page.locator('#state').textContent()).toBe('verified');
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(100);
  };
  const reload = async (page: Page) => {
    await page.reload();
    await settled(page);
  };

  it('shows the free-plan popup and banner to Grace (free) and not to Ada (pro), who never receives their content', async () => {
    const grace = await signIn('grace');
    await expect.poll(() => popup(grace).isVisible()).toBe(true);
    await expect.poll(() => banner(grace).isVisible()).toBe(true);
    expect(await grace.evaluate(() => (window as { pwned?: boolean }).pwned)).toBeUndefined();
    fs.mkdirSync(OUTPUT, { recursive: true });
    await grace.screenshot({ path: new URL('announcements-popup-and-banner.png', OUTPUT).pathname, animations: 'disabled' });
    await popup(grace).screenshot({ path: new URL('announcements-popup.png', OUTPUT).pathname, animations: 'disabled' });
    process.stdout.write('e2e: screenshots e2e/output/announcements-popup.png, announcements-popup-and-banner.png\n');

    const ada = await signIn('ada');
    const answers: string[] = [];
    ada.on('response', (r) => {
      // A response of the page being navigated away from has no body left to read: skip it.
      if (r.url().endsWith('/announcements') && r.request().method() === 'GET')
        void r.text().then(
          (t) => answers.push(t),
          () => undefined,
        );
    });
    await reload(ada);
    expect(await popup(ada).count()).toBe(0);
    expect(await banner(ada).count()).toBe(0);
    // The feed post for everyone is there: Ada's widget works, it just was not sent Grace's content.
    await ada.getByRole('button', { name: 'News and help', exact: true }).click();
    await expect.poll(() => ada.getByRole('heading', { name: 'Welcome to the Lumio demo' }).isVisible()).toBe(true);
    await expect.poll(() => answers.length).toBeGreaterThan(0);
    for (const body of answers) {
      expect(body).not.toContain(POPUP_TITLE);
      expect(body).not.toContain('save 20%');
      expect(body).not.toContain(BANNER_TITLE);
    }
  });

  it('keeps a dismissed popup dismissed after reload and in a second browser context for the same verified user', async () => {
    const grace = await signIn('grace');
    await expect.poll(() => popup(grace).isVisible()).toBe(true);
    await grace.keyboard.press('Escape');
    await expect.poll(() => popup(grace).count()).toBe(0);
    await expect
      .poll(async () => (await lumio.api('GET', `/api/v1/workspaces/${demoWorkspace}/announcements/${popupId}/stats`)).body.dismissed)
      .toBeGreaterThanOrEqual(1);
    await reload(grace);
    expect(await popup(grace).count()).toBe(0);
    // The banner is another announcement: still there, now without the popup's backdrop over it.
    expect(await banner(grace).isVisible()).toBe(true);
    await banner(grace).screenshot({ path: new URL('announcements-banner.png', OUTPUT).pathname, animations: 'disabled' });
    process.stdout.write('e2e: screenshot e2e/output/announcements-banner.png\n');

    const elsewhere = await signIn('grace');
    await reload(elsewhere);
    expect(await popup(elsewhere).count()).toBe(0);
    expect(await banner(elsewhere).isVisible()).toBe(true);
  });

  it('follows a plan change through identify: the free-plan audience appears and disappears on the next load', async () => {
    // Ada moves to the free plan in the host app; its next identify sends it.
    const ada = await signIn('ada');
    expect(await popup(ada).count()).toBe(0);
    await ada.getByRole('link', { name: 'switch to free' }).click();
    await expect.poll(() => ada.locator('#plan').textContent()).toBe('free');
    await settled(ada);
    await expect.poll(() => popup(ada).isVisible()).toBe(true);
    await expect.poll(() => banner(ada).isVisible()).toBe(true);

    // And back to pro: both are gone on the next load.
    // (The popup is modal: its backdrop takes the clicks, so the upgrade happens as a navigation.)
    await ada.goto(`${lumio.url}/demo/plan?plan=pro`);
    await expect.poll(() => ada.locator('#plan').textContent()).toBe('pro');
    await settled(ada);
    expect(await popup(ada).count()).toBe(0);
    expect(await banner(ada).count()).toBe(0);
    const user = await lumio.api('GET', `/api/v1/workspaces/${demoWorkspace}/announcements/${popupId}/audience`);
    expect(user.body.sample.map((u: { userId: string }) => u.userId)).toEqual(['demo-grace']);
  });
});
