// Help ranked for the person reading, end to end: a real `lumio start` in demo
// mode, a help center written through the dashboard API, and the demo host app
// at /demo where Ada (plan pro) signs in verified. Her interest profile holds
// "billing" (rows as ingestion leaves them in `interest_scores`). The widget's
// Help home shows "Suggested for you" from the server's ranking and the
// collections in her order (a pinned one kept in place), and follows identify
// and logout without a reload; the dashboard's article editor says why the
// article ranks where it does for her, and when personalisation is off.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ArticleRelevanceAnswer } from '@lumio/protocol';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { screenshot, seriousAxeViolations } from './support/dashboard-checks.js';
import { startLumio, type E2eServer } from './support/lumio-server.js';

const OUTPUT = new URL('./output/', import.meta.url);
const ADA = 'demo-ada';
// The team's order; "Getting started" is pinned to its place (second).
const COLLECTIONS = [
  { key: 'account', name: 'Account', position: 0 },
  { key: 'start', name: 'Getting started', position: 1, pinned: true },
  { key: 'billing', name: 'Billing', position: 2 },
] as const;
const ARTICLES = [
  { title: 'Welcome to Acme', collection: 'start', body: 'A tour of the app.' },
  { title: 'Reset your password', collection: 'account', body: 'Use the reset link.' },
  { title: 'Turn on two-factor authentication', collection: 'account', body: 'Scan the code.' },
  { title: 'Export your invoices', collection: 'billing', body: 'Download every invoice as a spreadsheet.' },
  {
    title: 'Pro plan billing',
    collection: 'billing',
    body: 'How invoices work on the Pro plan.',
    audience: { condition: { plan: 'pro' } },
  },
  {
    title: 'Enterprise invoicing',
    collection: 'billing',
    body: 'Invoices by purchase order.',
    audience: { condition: { plan: 'enterprise' } },
  },
] as const;

// NOTE: the panel's words for each signal (packages/dashboard/src/help-center/relevance-panel.tsx).
const SIGNAL_NAMES = {
  text: 'Text match',
  interest: 'Their interests',
  audience: 'Audience fit',
  peers: 'People like them',
  team: 'Team’s order',
};

describe.runIf(browserTestsEnabled())('help ranked for the viewer in Chromium', () => {
  let lumio: E2eServer;
  let browser: Browser;
  let workspace: string;
  let db: Database.Database;
  const articleIds = new Map<string, string>();
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    lumio = await startLumio();
    browser = await launchChromium();
    workspace = await lumio.demoWorkspaceId();
    const collectionIds = new Map<string, string>();
    for (const c of COLLECTIONS) {
      const res = await lumio.api('POST', `/api/v1/workspaces/${workspace}/help/collections`, { name: c.name, position: c.position });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      collectionIds.set(c.key, res.body.id);
    }
    for (const [position, a] of ARTICLES.entries()) {
      const res = await lumio.api('POST', `/api/v1/workspaces/${workspace}/help/articles`, {
        title: a.title,
        body: a.body,
        collectionId: collectionIds.get(a.collection),
        position,
        status: 'published',
        ...('audience' in a ? { audience: a.audience } : {}),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      articleIds.set(a.title, res.body.id);
    }
    // The server's own database (SQLite in WAL: the server keeps running while the test writes).
    db = new Database(path.join(lumio.dataDir, 'lumio.db'));
    db.pragma('busy_timeout = 5000');
    db.prepare('UPDATE collections SET pinned = 1 WHERE workspace_id = ? AND id = ?').run(workspace, collectionIds.get('start'));
    // Ada's verified partition read and saved billing articles: 12 points as of yesterday, an interest level of 0.869
    // (a day of a 30-day half-life), far enough from any rounding step that the seconds the test takes change no figure.
    db.prepare(
      'INSERT INTO interest_scores (workspace_id, viewer, topic, score, updated_at, views, saves) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(workspace, `v:${ADA}`, 'billing', 12, Date.now() - 86_400_000, 6, 2);
  }, 60_000);

  afterAll(async () => {
    db?.close();
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await lumio?.stop();
  });

  const openHelp = async (page: Page) => {
    await page.getByRole('button', { name: 'News and help', exact: true }).click();
    await page.getByRole('tab', { name: 'Help' }).click();
    await expect.poll(() => page.locator('#lumio-tabpanel-help [data-nav^="collection:"]').count()).toBe(3);
  };
  const suggested = (page: Page) =>
    page.locator('#lumio-tabpanel-help h3:text-is("Suggested for you") + ul .help-row-button').allTextContents();
  const collections = (page: Page) => page.locator('#lumio-tabpanel-help [data-nav^="collection:"]').allTextContents();
  const articlesOf = async (page: Page, collection: string) => {
    await page.getByRole('button', { name: collection, exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { name: collection }).isVisible()).toBe(true);
    await page.waitForLoadState('networkidle');
    const titles = await page.locator('#lumio-tabpanel-help .help-row-button').allTextContents();
    await page.getByRole('button', { name: 'Back' }).click();
    return titles;
  };

  it('suggests billing to Ada first and orders the collections by her interests, the pinned one in place; identify and logout refresh it', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    // Anonymous first: the team's order, and nothing written for pro users.
    await page.goto(`${lumio.url}/demo/login?user=`);
    await page.waitForFunction(() => (window as any).LumioWidget?.lumio);
    await openHelp(page);
    expect(await collections(page)).toEqual(['Account', 'Getting started', 'Billing']);
    await expect
      .poll(() => suggested(page), { timeout: 10_000 })
      .toEqual(['Welcome to Acme', 'Reset your password', 'Turn on two-factor authentication']);

    // Ada signs in on the same page (verified by her host's signature): the Help home follows without a reload.
    await page.request.get(`${lumio.url}/demo/login?user=ada`, { maxRedirects: 0 });
    await page.evaluate(async () => {
      const me = await (await fetch('/demo/api/lumio-identity')).json();
      await (window as any).LumioWidget('identify', me);
    });
    await expect.poll(() => suggested(page), { timeout: 10_000 }).toEqual(['Pro plan billing', 'Export your invoices', 'Welcome to Acme']);
    // Billing rises to the first free place; "Getting started" keeps its pinned place; Account follows.
    expect(await collections(page)).toEqual(['Billing', 'Getting started', 'Account']);
    // The article written for her plan leads its collection too.
    expect(await articlesOf(page, 'Billing')).toEqual(['Pro plan billing', 'Export your invoices']);
    await page.locator('#lumio-tabpanel-help').evaluate((el) => Promise.all(el.ownerDocument.getAnimations().map((a) => a.finished)));
    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: new URL('widget-help-suggested-for-ada.png', OUTPUT).pathname, animations: 'disabled' });

    // Opening a suggestion reads it; Back returns to the Help home.
    await page.getByRole('button', { name: 'Pro plan billing' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Pro plan billing' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Back' }).click();
    await expect.poll(() => suggested(page), { timeout: 10_000 }).toEqual(['Pro plan billing', 'Export your invoices', 'Welcome to Acme']);

    // Logout: anonymous again, her suggestions and order gone.
    await page.evaluate(() => (window as any).LumioWidget('resetSession'));
    await expect
      .poll(() => suggested(page), { timeout: 10_000 })
      .toEqual(['Welcome to Acme', 'Reset your password', 'Turn on two-factor authentication']);
    expect(await collections(page)).toEqual(['Account', 'Getting started', 'Billing']);
  });

  it('shows in the article editor why the article ranks where it does for Ada, and says when personalisation is off', async () => {
    // Ada exists as a user since the test above identified her.
    const context = await browser.newContext({ bypassCSP: true });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${lumio.url}/app/sign-in`);
    await page.getByLabel('Email').fill('owner@example.com');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/app\/w\//);
    await page.goto(`${lumio.url}/app/w/${workspace}/help/articles/${articleIds.get('Pro plan billing')}`);
    const panel = page.getByRole('region', { name: 'Why this ranks here' });
    await expect.poll(() => panel.isVisible()).toBe(true);

    await panel.getByRole('searchbox', { name: 'User' }).fill('ada');
    const ada = panel.getByRole('list', { name: 'Matching users' }).getByRole('button', { name: /Ada Lovelace/ });
    await expect.poll(() => ada.isVisible()).toBe(true);
    expect(await seriousAxeViolations(page), 'axe on the user search').toEqual([]);
    // By keyboard, as a list of buttons.
    await ada.focus();
    await page.keyboard.press('Enter');
    // Focus moves to what replaced the search, not to the page.
    const focusedName = () => page.evaluate(() => document.activeElement?.textContent?.trim());
    await expect.poll(focusedName).toBe('Choose another user');
    const status = panel.getByRole('status');
    const table = panel.getByRole('table');
    const rows = async () =>
      (await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent)))) as string[][];
    // The figures are the server's: the panel shows its answer, each signal named in words, rounded for reading.
    const explain = async (query = '') =>
      (
        await lumio.api<ArticleRelevanceAnswer>(
          'GET',
          `/api/v1/workspaces/${workspace}/help/articles/${articleIds.get('Pro plan billing')}/relevance?` +
            new URLSearchParams({ userId: ADA, ...(query ? { query } : {}) }),
        )
      ).body;
    const shown = (answer: ArticleRelevanceAnswer) =>
      answer.signals.map((s) => [SIGNAL_NAMES[s.signal], s.weight.toFixed(2), s.value.toFixed(2), s.contribution.toFixed(3), s.detail]);

    // In its collection, the article written for her plan ranks above the generic one, with her interest in billing.
    await expect.poll(() => status.textContent()).toMatch(/^1st of 2 for this user in its collection · score \d\.\d{3}$/);
    const listed = await explain();
    expect(listed).toMatchObject({ rank: 1, of: 2, personalised: true });
    expect(await status.textContent()).toBe(`1st of 2 for this user in its collection · score ${listed.score.toFixed(3)}`);
    expect(await rows()).toEqual(shown(listed));
    // Her interest: the seeded 12 points (level 0.87), plus what ingestion added when she opened the
    // article in the test above (a view: 0.89 once its event is in); weighted 0.4.
    const interest = (await rows()).find((r) => r[0] === 'Their interests')!;
    expect(interest).toEqual(['Their interests', '0.40', interest[2], interest[3], 'interest in collection "billing"']);
    expect(Number(interest[3])).toBeCloseTo(0.4 * Number(interest[2]), 2);
    expect(Number(interest[2])).toBeGreaterThanOrEqual(0.87);
    expect(Number(interest[2])).toBeLessThanOrEqual(0.89);
    expect(await rows()).toEqual(
      expect.arrayContaining([['Audience fit', '0.25', '0.33', '0.083', 'written for readers like this one (1 constraint)']]),
    );
    expect(await panel.getByText('Personalised help is off', { exact: false }).count()).toBe(0);
    await screenshot(page, 'dashboard-why-this-ranks-here');
    expect(await seriousAxeViolations(page), 'axe on the article editor').toEqual([]);

    // A query: its place among her search results (the enterprise article matches too, but is not hers to read).
    await panel.getByRole('searchbox', { name: 'Search query (optional)' }).fill('invoices');
    await expect.poll(() => status.textContent()).toMatch(/ of 2 for this user in the results for “invoices” · score /);
    const searched = await explain('invoices');
    expect(await status.textContent()).toBe(
      `${searched.rank === 1 ? '1st' : '2nd'} of 2 for this user in the results for “invoices” · score ${searched.score.toFixed(3)}`,
    );
    expect(await rows()).toEqual(shown(searched));
    expect((await rows()).map((r) => r[0])).toContain('Text match');

    // Choosing another user brings the search back, focused.
    await panel.getByRole('button', { name: 'Choose another user' }).press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('search');
    expect(await panel.getByRole('searchbox', { name: 'User' }).evaluate((el) => el === document.activeElement)).toBe(true);

    // Personalisation off for the workspace: text and the team's order alone, and the panel says so.
    db.prepare('UPDATE workspaces SET personalised_help = 0 WHERE id = ?').run(workspace);
    await page.reload();
    await panel.getByRole('searchbox', { name: 'User' }).fill('ada');
    await panel.getByRole('button', { name: /Ada Lovelace/ }).click();
    await expect.poll(() => panel.getByText('Personalised help is off', { exact: false }).isVisible()).toBe(true);
    // No query: the team's order alone (the server's answer, shown as it is).
    await expect.poll(async () => (await rows()).map((r) => r[0])).toEqual(['Team’s order']);
    expect(await rows()).toEqual(shown(await explain()));
    db.prepare('UPDATE workspaces SET personalised_help = 1 WHERE id = ?').run(workspace);
  });
});
