// Interest profiles in the dashboard, in Chromium against a real `lumio start`:
// the rule builder takes `interests.<topic>` (a hint, the sentence, the live
// audience count, a bad topic refused), and the Audience report lists the top
// interests of the active people. Two verified users are identified and send
// an event through the widget API; their interest rows are written straight
// into the server's SQLite file (ingestion writing them is not this test's concern).
import crypto from 'node:crypto';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { signedInOwner } from './support/dashboard-sign-in.js';
import { startLumio, type E2eServer } from './support/lumio-server.js';
import { seriousAxeViolations } from './support/dashboard-checks.js';

const ORIGIN = 'http://host.example';

describe.runIf(browserTestsEnabled())('interests in the dashboard, in Chromium', () => {
  let lumio: E2eServer;
  let browser: Browser;
  let page: Page;

  const widgetCall = async (url: string, body: unknown, token?: string) => {
    const res = await fetch(`${lumio.url}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const json = (await res.json().catch(() => ({}))) as Record<string, any>;
    if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };

  beforeAll(async () => {
    lumio = await startLumio();
    const widget = await lumio.createWidget({ name: 'Interests', allowedOrigins: [ORIGIN] });
    // Two verified users, each active once now.
    for (const userId of ['ada', 'bob']) {
      const session = await widgetCall(`/widget/v1/${widget.id}/session`, { anonymousId: `anon_${userId}_${crypto.randomUUID()}` });
      const signature = crypto.createHmac('sha256', widget.secret).update(userId).digest('hex');
      const identified = await widgetCall(`/widget/v1/${widget.id}/identify`, { userId, signature }, session.token as string);
      expect(identified.state).toBe('verified');
      await widgetCall(
        `/widget/v1/${widget.id}/events`,
        { events: [{ id: `e_${crypto.randomBytes(6).toString('hex')}`, name: '$widget_opened', at: Date.now() }] },
        identified.token as string,
      );
    }
    // Ada: billing 8 points now (level 0.75); Bob: api 8 points (0.75).
    const db = new SQLite(path.join(lumio.dataDir, 'lumio.db'));
    try {
      const insert = db.prepare('INSERT INTO interest_scores (workspace_id, viewer, topic, score, updated_at) VALUES (?, ?, ?, ?, ?)');
      insert.run(lumio.workspaceId, 'v:ada', 'billing', 8, Date.now());
      insert.run(lumio.workspaceId, 'v:bob', 'api', 8, Date.now());
    } finally {
      db.close();
    }
    browser = await launchChromium();
    page = await signedInOwner(browser, lumio.url);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await lumio?.stop();
  });

  const ws = (to: string) => `${lumio.url}/app/w/${lumio.workspaceId}/${to}`;

  it('builds a rule on interests.<topic>: hint, sentence and audience count; a bad topic is refused', async () => {
    await page.goto(ws('segments/new'));
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('Attribute of rule 1').fill('interests.billing');
    await expect.poll(() => page.locator('.rule-hint').textContent()).toMatch(/^Interest in billing: a level from 0/);
    await page.getByLabel('Operator of rule 1').selectOption('$gte');
    await page.getByLabel('Value of rule 1').fill('0.5');
    await expect.poll(() => page.locator('.condition-words').textContent()).toBe('In words: interest in billing is at least 0.5');
    const count = page.getByTestId('audience-count');
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('1');
    await page.getByLabel('Value of rule 1').fill('0.8');
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('0');
    await page.getByLabel('Attribute of rule 1').fill('interests.Billing');
    await expect.poll(() => page.locator('main').textContent()).toContain('"Billing" is not a topic key');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('lists the top interests of the active people in the Audience report', async () => {
    await page.goto(ws('analytics?report=audience'));
    const section = page.locator('section', { has: page.getByRole('heading', { name: 'Top interests' }) });
    await expect.poll(() => section.textContent(), { timeout: 15_000 }).toContain('Among the 2 active people with a user id');
    const rows = section.locator('tbody tr');
    await expect.poll(() => rows.allTextContents()).toEqual(['api150.0%0.38', 'billing150.0%0.38']);
    expect(await seriousAxeViolations(page)).toEqual([]);
  });
});
