// The dashboard's Companies pages, in Chromium against a real `lumio start`:
// the navigation leads to the list; a search goes into the address (a shared
// link opens the same search); a company shows its properties with their
// sources, its people (links to the user pages) and their activity; the user
// page links back to the user's companies; the rule builder suggests
// company.<key>. Users and events go through the server and widget APIs; the
// companies are written straight into the server's SQLite file (which route
// creates them is not this test's concern). axe finds nothing serious.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { signedInOwner } from './support/dashboard-sign-in.js';
import { startLumio, type E2eServer } from './support/lumio-server.js';
import { seriousAxeViolations } from './support/dashboard-checks.js';
import { storeCompanies } from './support/stored-companies.js';
import { sendAsVerifiedUser } from './support/verified-user.js';
import { request } from '../packages/server/src/test-support/server-process.js';

const TIMEOUT = 60_000;

describe.runIf(browserTestsEnabled())('companies in the dashboard, in Chromium', () => {
  let lumio: E2eServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    lumio = await startLumio();
    const ws = `/api/v1/workspaces/${lumio.workspaceId}`;
    const apiKey = (await lumio.api('POST', `${ws}/api-keys`, { name: 'Companies e2e' })).body.key as string;
    for (const [userId, name] of [
      ['u_ada', 'Ada Lovelace'],
      ['u_grace', 'Grace Hopper'],
      ['u_alan', 'Alan Turing'],
    ] as const) {
      const put = await request(`${lumio.url}/server/v1/users/${userId}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${apiKey}` },
        body: { name, email: `${userId}@example.com` },
      });
      if (put.status !== 200) throw new Error(`user ${userId}: ${JSON.stringify(put.body)}`);
    }
    const widget = await lumio.createWidget({ name: 'Companies', allowedOrigins: ['https://app.example.com'] });
    const sent = await sendAsVerifiedUser(lumio.url, widget, 'u_grace', [{ name: 'invoice_downloaded', props: { format: 'pdf' } }]);
    if (sent.status !== 200) throw new Error(`events: ${JSON.stringify(sent.body)}`);
    storeCompanies(lumio.dataDir, lumio.workspaceId, [
      {
        id: 'acme',
        name: 'Acme Corp',
        properties: { plan: 'enterprise', seats: 40, region: 'eu' },
        sources: { name: 'trusted', 'properties.plan': 'trusted', 'properties.seats': 'trusted', 'properties.region': 'claimed' },
        people: [
          ['u_ada', 'trusted'],
          ['u_grace', 'claimed'],
        ],
      },
      { id: 'globex', name: 'Globex', properties: { plan: 'free' }, people: [['u_alan', 'trusted']] },
      { id: 'initech', name: null, properties: {}, people: [] },
    ]);
    browser = await launchChromium();
    page = await signedInOwner(browser, lumio.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await lumio?.stop();
  });

  const ws = (to: string) => `${lumio.url}/app/w/${lumio.workspaceId}/${to}`;
  const main = () => page.locator('main');

  it(
    'lists the companies from the navigation, searches through the address, and a shared search opens the same list',
    async () => {
      await page.goto(ws('widgets'));
      await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Companies' }).click();
      await page.waitForURL(/\/companies$/);
      const table = main().getByRole('table');
      await expect.poll(() => table.textContent(), { timeout: TIMEOUT }).toContain('globex');
      const text = (await table.textContent())!;
      expect(text).toContain('Acme Corp');
      expect(text).toContain('initech');
      expect(await seriousAxeViolations(page)).toEqual([]);

      await page.getByRole('searchbox', { name: 'Search' }).fill('GLOB');
      await page.waitForURL(/\?q=GLOB$/, { timeout: TIMEOUT });
      await expect.poll(() => table.textContent(), { timeout: TIMEOUT }).not.toContain('acme');
      expect(await table.textContent()).toContain('Globex');

      // The address is the search: opened afresh, it shows the same list and the same words in the box.
      await page.goto(ws('companies?q=acm'));
      await expect.poll(() => main().getByRole('table').textContent(), { timeout: TIMEOUT }).toContain('Acme Corp');
      expect(await main().getByRole('table').textContent()).not.toContain('globex');
      expect(await page.getByRole('searchbox', { name: 'Search' }).inputValue()).toBe('acm');

      await page.goto(ws('companies?q=nothing-like-this'));
      await expect.poll(() => main().textContent(), { timeout: TIMEOUT }).toContain('No companies match.');
    },
    TIMEOUT * 3,
  );

  it(
    'opens a company: its properties with their sources, its people and their activity; follows a person to their page and back',
    async () => {
      await page.goto(ws('companies'));
      await main().getByRole('link', { name: 'acme', exact: true }).click();
      await page.waitForURL(/\/companies\/acme$/);
      await expect.poll(() => main().getByRole('heading', { level: 1 }).textContent(), { timeout: TIMEOUT }).toBe('Acme Corp');
      const propertiesText = (await main().getByRole('region', { name: 'Properties' }).textContent())!;
      expect(propertiesText).toMatch(/plan\s*enterprise\s*Trusted/);
      expect(propertiesText).toMatch(/region\s*eu\s*Claimed/);
      const people = main().getByRole('region', { name: 'People' });
      expect(await people.textContent()).toContain('2 of 2 people shown');
      const activity = main().getByRole('region', { name: 'Recent activity' });
      expect(await activity.textContent()).toContain('invoice_downloaded');
      expect(await seriousAxeViolations(page)).toEqual([]);

      await people.getByRole('link', { name: 'u_grace' }).click();
      await page.waitForURL(/\/users\/u_grace$/);
      await expect.poll(() => main().getByRole('heading', { level: 1 }).textContent(), { timeout: TIMEOUT }).toBe('Grace Hopper');
      // The user page lists the user's companies, each a link back.
      const companies = main().getByRole('region', { name: 'Companies' });
      await expect.poll(() => companies.textContent(), { timeout: TIMEOUT }).toContain('Acme Corp');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await companies.getByRole('link', { name: 'Acme Corp' }).click();
      await page.waitForURL(/\/companies\/acme$/);
    },
    TIMEOUT * 3,
  );

  it(
    'says so for a company that is not there and for one with nobody in it; the user page lists the companies of the user',
    async () => {
      await page.goto(ws('companies/no-such-company'));
      await expect.poll(() => main().textContent(), { timeout: TIMEOUT }).toMatch(/No company with this id/);
      await page.goto(ws('users/u_alan'));
      await expect.poll(() => main().textContent(), { timeout: TIMEOUT }).toContain('Globex');
      await page.goto(ws('companies/initech'));
      await expect.poll(() => main().textContent(), { timeout: TIMEOUT }).toContain('Nobody belongs to this company yet.');
      expect(await main().textContent()).toContain("No events recorded for this company's people.");
    },
    TIMEOUT * 2,
  );

  it(
    'suggests company.<key> attributes in the rule builder',
    async () => {
      await page.goto(ws('segments/new'));
      await page.getByRole('button', { name: 'Add rule' }).click();
      const attribute = page.getByLabel('Attribute of rule 1');
      const listId = await attribute.getAttribute('list');
      const options = await page
        .locator(`datalist[id="${listId}"] option`)
        .evaluateAll((els) => els.map((el) => (el as HTMLOptionElement).value));
      expect(options).toEqual(expect.arrayContaining(['company.id', 'company.name']));
      await attribute.fill('company.plan');
      await page.getByLabel('Value of rule 1').fill('enterprise');
      // The rule reads back in words: "some company's plan is enterprise" (targeting's describeCondition).
      await expect.poll(() => page.locator('.rule-builder').textContent(), { timeout: TIMEOUT }).toContain("some company's plan");
    },
    TIMEOUT * 2,
  );

  it(
    'counts distinct companies in the events report, and says so in words',
    async () => {
      await page.goto(ws('analytics?event=invoice_downloaded&range=7'));
      const measure = main().getByLabel('Measure');
      await measure.selectOption('companies');
      await page.waitForURL(/measure=companies/, { timeout: TIMEOUT });
      // Grace (a claimed member of Acme) downloaded an invoice: one event, one person, one company.
      await expect
        .poll(() => main().locator('.analytics-totals').textContent(), { timeout: TIMEOUT })
        .toMatch(/1\s*event by\s*1\s*person\s*in\s*1\s*company/);
      expect(await seriousAxeViolations(page)).toEqual([]);
    },
    TIMEOUT * 2,
  );
});
