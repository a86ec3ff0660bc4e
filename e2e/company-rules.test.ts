// company.<key> in the dashboard, end to end: a real `lumio start` with two users
// (set through the server API) of whom one belongs to Acme, an enterprise
// company. The rule builder in the Users filter suggests the company attributes
// from the property catalogue, and a rule on `company.plan` lists the member only.
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { signedInOwner } from './support/dashboard-sign-in.js';
import { startLumio, type E2eServer } from './support/lumio-server.js';

describe.runIf(browserTestsEnabled())('company attributes in the rule builder, in Chromium', () => {
  let lumio: E2eServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    lumio = await startLumio();
    browser = await launchChromium();
    const ws = lumio.workspaceId;
    const key = await lumio.api('POST', `/api/v1/workspaces/${ws}/api-keys`, { name: 'backend' });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    for (const userId of ['acme-ada', 'solo-sam']) {
      const res = await fetch(`${lumio.url}/server/v1/users/${userId}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${key.body.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ properties: { plan: 'pro' } }),
      });
      expect(res.status).toBe(200);
    }
    // The company and its membership, written as the server API would (trusted); read straight from the tables by targeting.
    const db = new SQLite(path.join(lumio.dataDir, 'lumio.db'));
    try {
      const now = Date.now();
      db.prepare(
        'INSERT INTO companies (workspace_id, company_id, name, properties, sources, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(
        ws,
        'acme',
        'Acme',
        JSON.stringify({ plan: 'enterprise', seats: 250 }),
        JSON.stringify({ name: 'trusted', 'properties.plan': 'trusted', 'properties.seats': 'trusted' }),
        now,
        now,
      );
      db.prepare(
        'INSERT INTO company_members (workspace_id, company_id, user_id, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(ws, 'acme', 'acme-ada', 'trusted', now, now);
    } finally {
      db.close();
    }
    page = await signedInOwner(browser, lumio.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await lumio?.stop();
  });

  it('suggests company.<key> and filters the Users list by a company rule', async () => {
    await page.goto(`${lumio.url}/app/w/${lumio.workspaceId}/users`);
    const rows = page.locator('table tbody tr');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2);
    const filter = page.getByRole('form', { name: 'Filter by condition' });
    await filter.getByRole('tab', { name: 'Rules' }).click();
    await filter.getByRole('button', { name: 'Add rule' }).click();
    const attribute = filter.getByRole('combobox', { name: 'Attribute of rule 1' });
    await expect
      .poll(() => attribute.evaluate((input) => Array.from((input as HTMLInputElement).list?.options ?? [], (option) => option.value)), {
        timeout: 30_000,
      })
      .toEqual(expect.arrayContaining(['company.id', 'company.name', 'company.plan', 'company.seats']));
    await attribute.fill('company.plan');
    await filter.getByLabel('Value of rule 1').fill('enterprise');
    await filter.getByRole('button', { name: 'Apply filter' }).click();
    await expect.poll(() => rows.allTextContents(), { timeout: 30_000 }).toEqual([expect.stringContaining('acme-ada')]);
    expect(new URL(page.url()).searchParams.get('condition')).toBe('{"company.plan":"enterprise"}');
  }, 120_000);
});
