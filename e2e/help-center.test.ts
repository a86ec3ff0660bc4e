// The help center end to end: a real `lumio start` in demo mode, articles
// written through the dashboard API, and the demo host app at /demo where Ada
// signs in verified. The widget's Help tab searches (server-side full-text
// search), opens and saves an article; the Saved list is the verified user's
// on every browser; and the SDK's articles.list({ limitToSaved }) called right
// after identify answers for that user.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { startLumio, type E2eServer } from './support/lumio-server.js';
import { screenshot, seriousAxeViolations } from './support/dashboard-checks.js';

const OUTPUT = new URL('./output/', import.meta.url);
const TITLE = 'Export your invoices';

describe.runIf(browserTestsEnabled())('help center in Chromium', () => {
  let lumio: E2eServer;
  let browser: Browser;
  let demoWorkspace: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    lumio = await startLumio();
    browser = await launchChromium();
    demoWorkspace = await lumio.demoWorkspaceId();
    const collection = await lumio.api('POST', `/api/v1/workspaces/${demoWorkspace}/help/collections`, { name: 'Billing' });
    expect(collection.status, JSON.stringify(collection.body)).toBe(201);
    const articles = [
      { title: TITLE, body: 'Download every receipt as a spreadsheet from the **Billing** page.', tags: ['Billing', 'Tax reports'] },
      { title: 'Change your plan', body: 'Upgrade or downgrade at any time.' },
      { title: 'Enterprise invoicing', body: 'Receipts by purchase order.', audience: { condition: { plan: 'enterprise' } } },
    ];
    for (const article of articles) {
      const res = await lumio.api('POST', `/api/v1/workspaces/${demoWorkspace}/help/articles`, {
        ...article,
        collectionId: collection.body.id,
        status: 'published',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await lumio?.stop();
  });

  const signIn = async (): Promise<Page> => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${lumio.url}/demo/login?user=ada`);
    await expect.poll(() => page.locator('#state').textContent()).toBe('verified');
    return page;
  };
  const openHelp = async (page: Page) => {
    await page.getByRole('button', { name: 'News and help', exact: true }).click();
    await page.getByRole('tab', { name: 'Help' }).click();
  };
  const savedTitles = async (page: Page) => {
    await page.getByRole('button', { name: 'Saved articles' }).click();
    await page.waitForLoadState('networkidle');
    return page.locator('#lumio-tabpanel-help .help-row-button').allTextContents();
  };

  it('finds an article by a word of its body, opens it and saves it', async () => {
    const page = await signIn();
    await openHelp(page);
    // "spreadsheet" is only in the body; typed as a user types, with a typo on the way.
    await page.getByRole('searchbox', { name: 'Search help articles' }).pressSequentially('spreadsheet', { delay: 20 });
    const result = page.getByRole('button', { name: TITLE });
    await expect.poll(() => result.isVisible()).toBe(true);
    expect(await page.locator('#lumio-tabpanel-help mark').first().textContent()).toMatch(/spreadsheet/i);
    // The enterprise-only article never shows for Ada (plan pro), whatever the query.
    expect(await page.getByRole('button', { name: 'Enterprise invoicing' }).count()).toBe(0);
    await result.click();
    await expect.poll(() => page.getByRole('heading', { name: TITLE }).isVisible()).toBe(true);
    const save = page.getByRole('button', { name: 'Save', exact: true });
    await save.click();
    await expect.poll(() => page.getByRole('button', { name: 'Saved', exact: true }).getAttribute('aria-pressed')).toBe('true');
    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: new URL('help-center-article.png', OUTPUT).pathname, animations: 'disabled' });
    process.stdout.write('e2e: screenshot e2e/output/help-center-article.png\n');

    await page.reload();
    await expect.poll(() => page.locator('#state').textContent()).toBe('verified');
    await openHelp(page);
    expect(await savedTitles(page)).toEqual([TITLE]);
  });

  it("credits the search click and the save to Ada's verified interest profile (the article's collection)", async () => {
    // The widget sends its events in batches: wait for them to reach the user page's interests.
    const billing = async () => {
      const res = await lumio.api('GET', `/api/v1/workspaces/${demoWorkspace}/users/demo-ada`);
      return (res.body.interests.verified as Array<{ topic: string; activity: Record<string, number> }>).find((t) => t.topic === 'billing');
    };
    await expect.poll(async () => (await billing())?.activity, { timeout: 15_000 }).toMatchObject({ searchClicks: 1, saves: 1 });

    // The dashboard's user page shows it: the topic, its level and the activity behind it (axe-checked).
    const context = await browser.newContext({ bypassCSP: true });
    contexts.push(context);
    const [name, value] = lumio.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: lumio.url }]);
    const page = await context.newPage();
    await page.goto(`${lumio.url}/app/w/${demoWorkspace}/users/demo-ada`);
    const card = page.locator('section', { has: page.getByRole('heading', { name: 'Interests' }) });
    await expect.poll(() => card.textContent(), { timeout: 10_000 }).toMatch(/billing\s*\d+%.*1 save · 1 search click/);
    await screenshot(page, 'user-interests');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('shows the saved article in a second browser context for the same verified user', async () => {
    const page = await signIn();
    await openHelp(page);
    expect(await savedTitles(page)).toEqual([TITLE]);
  });

  it("answers articles.list({ limitToSaved: true }) called right after identify with that user's saved articles", async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    // A fresh browser: anonymous until the page identifies Ada. The SDK call is made in the
    // same tick as identify, without waiting for it.
    await page.goto(`${lumio.url}/demo/login?user=`);
    await page.waitForFunction(() => (window as any).LumioWidget?.lumio);
    const identity = await (await page.request.get(`${lumio.url}/demo/login?user=ada`, { maxRedirects: 0 })).headersArray();
    expect(identity.some((h) => h.name.toLowerCase() === 'set-cookie')).toBe(true);
    const titles = await page.evaluate(async () => {
      const me = await (await fetch('/demo/api/lumio-identity')).json();
      const w = (window as any).LumioWidget;
      void w('identify', me);
      const saved = await w('articles.list', { limitToSaved: true });
      return saved.map((a: { title: string; tags: string[] }) => [a.title, a.tags]);
    });
    // The article's tags reach the page too, as topic keys.
    expect(titles).toEqual([[TITLE, ['billing', 'tax-reports']]]);
  });
});
