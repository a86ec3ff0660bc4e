// Analytics end to end: a real `lumio start` in demo mode, the demo host app
// at /demo where Ada (plan pro) and Grace (plan free) sign in verified. The
// widget records what they do (panel opened, a search with no results, an
// article viewed), the SDK sends it when the page goes away, and the reports
// API counts it: filtered by plan, the chart changes; the no-result search is
// listed; Ada's activity is hers, verified.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { startLumio, type E2eServer } from './support/lumio-server.js';

const TITLE = 'Export your invoices';
const NOTHING = 'qwertyzzz';

describe.runIf(browserTestsEnabled())('analytics in Chromium', () => {
  let lumio: E2eServer;
  let browser: Browser;
  let demoWorkspace: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    lumio = await startLumio();
    browser = await launchChromium();
    demoWorkspace = await lumio.demoWorkspaceId();
    const res = await lumio.api('POST', `/api/v1/workspaces/${demoWorkspace}/help/articles`, {
      title: TITLE,
      body: 'Download every receipt as a spreadsheet from the **Billing** page.',
      status: 'published',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await lumio?.stop();
  });

  /** Signs a demo user in, searches for nothing, reads the article, closes the widget and leaves the page. */
  const visit = async (user: 'ada' | 'grace') => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${lumio.url}/demo/login?user=${user}`);
    await expect.poll(() => page.locator('#state').textContent()).toBe('verified');
    await page.getByRole('button', { name: 'News and help', exact: true }).click();
    await page.getByRole('tab', { name: 'Help' }).click();
    const search = page.getByRole('searchbox', { name: 'Search help articles' });
    await search.pressSequentially(NOTHING, { delay: 10 });
    // A search counts once its results have been on screen for a moment (not once per keystroke).
    await page.waitForTimeout(2_000);
    await search.fill('');
    await search.pressSequentially('spreadsheet', { delay: 10 });
    const result = page.getByRole('button', { name: TITLE });
    await expect.poll(() => result.isVisible()).toBe(true);
    await result.click();
    await expect.poll(() => page.getByRole('heading', { name: TITLE }).isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    // Leaving the page sends what is queued (fetch keepalive on pagehide).
    await page.goto('about:blank');
  };

  const report = async (name: string, body: Record<string, unknown>) => {
    const now = Date.now();
    const res = await lumio.api('POST', `/api/v1/workspaces/${demoWorkspace}/analytics/reports/${name}`, {
      from: now - 86_400_000,
      to: now + 3_600_000,
      ...body,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const views = async (condition?: object) =>
    (await report('series', { event: '$article_viewed', interval: 'day', ...(condition ? { condition } : {}) })).totals.count as number;

  it('counts what verified users do in the widget, and a filter by plan changes the answer', async () => {
    await visit('ada');
    await visit('grace');
    await expect.poll(() => views(), { timeout: 15_000 }).toBe(2);
    expect(await views({ plan: 'pro' })).toBe(1);
    expect(await views({ plan: 'free' })).toBe(1);
    expect(await views({ plan: 'enterprise' })).toBe(0);

    const articles = await report('articles', {});
    expect(articles.topArticles[0]).toMatchObject({ title: TITLE, views: 2, uniques: 2 });
    expect(articles.noResultSearches.map((s: { query: string }) => s.query)).toContain(NOTHING);

    const opened = await report('series', { event: '$widget_opened', interval: 'day', verifiedOnly: true });
    expect(opened.totals.uniques).toBe(2);
  }, 60_000);

  it("lists a user's recent activity, attributed and verified", async () => {
    const res = await lumio.api('GET', `/api/v1/workspaces/${demoWorkspace}/users/demo-ada/events?limit=50`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const events = res.body.events as Array<{ name: string; trust: string; userId: string }>;
    const names = new Set(events.map((e) => e.name));
    for (const name of ['$identify', '$widget_opened', '$article_searched', '$article_viewed', '$widget_closed'])
      expect(names).toContain(name);
    expect(events.every((e) => e.userId === 'demo-ada')).toBe(true);
    expect(events.filter((e) => e.name !== '$identify').every((e) => e.trust === 'verified')).toBe(true);
  });
});
