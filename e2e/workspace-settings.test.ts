// The dashboard's Workspace settings page in Chromium against a real `lumio
// start`: an owner lists a browser-visible key (suggested from the property
// catalogue), sets the interest half-life and turns personalised help off; a
// wrong value is shown at its field and nothing is saved; a member reads the
// same settings without controls. Each view is checked by axe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { screenshot, seriousAxeViolations } from './support/dashboard-checks.js';
import { startLumio, type E2eServer } from './support/lumio-server.js';
import { signIn } from './support/dashboard-sign-in.js';
import { sendAsVerifiedUser } from './support/verified-user.js';
import { request } from '../packages/server/src/test-support/server-process.js';

const OWNER = { email: 'owner@example.com', password: 'correct horse battery staple' };
const MEMBER = { email: 'settings-member@example.com', password: 'another long password' };

describe.runIf(browserTestsEnabled())('workspace settings page in Chromium', () => {
  let lumio: E2eServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    lumio = await startLumio();
    // A verified user with a server-set property and one event, so the property catalogue knows the key.
    const widget = await lumio.createWidget({ name: 'Web app' });
    const apiKey = (await lumio.api('POST', `/api/v1/workspaces/${lumio.workspaceId}/api-keys`, { name: 'e2e' })).body.key;
    const put = await request(`${lumio.url}/server/v1/users/u_risk`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${apiKey}` },
      body: { properties: { internal_risk_score: 42 } },
    });
    expect(put.status).toBe(200);
    const events = await sendAsVerifiedUser(lumio.url, widget, 'u_risk', [{ name: 'report_opened' }]);
    expect(events.body).toMatchObject({ accepted: 1 });
    // The catalogue learns keys from ingested events, shortly after they arrive.
    for (let tries = 0; ; tries++) {
      const catalogue = await lumio.api('GET', `/api/v1/workspaces/${lumio.workspaceId}/analytics/properties`);
      if (JSON.stringify(catalogue.body).includes('internal_risk_score')) break;
      if (tries > 100) throw new Error(`catalogue never listed the key: ${JSON.stringify(catalogue.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const invite = await lumio.api('POST', `/api/v1/workspaces/${lumio.workspaceId}/invites`, { role: 'member' });
    const accepted = await request(`${lumio.url}/api/v1/invites/accept`, {
      method: 'POST',
      headers: { origin: lumio.url },
      body: { token: invite.body.token, ...MEMBER },
    });
    expect(accepted.status).toBe(201);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await lumio?.stop();
  });

  const signedIn = async (who: { email: string; password: string }) => {
    const context = await browser.newContext({ bypassCSP: true });
    contexts.push(context);
    const page = await context.newPage();
    await signIn(page, lumio.url, who);
    // The owner also owns the Demo workspace (demo mode): go to the one under test.
    await page.goto(`${lumio.url}/app/w/${lumio.workspaceId}/widgets`);
    return page;
  };
  const openSettings = async (page: Page) => {
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Workspace settings' }).click();
    await page.waitForURL(/\/settings$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Workspace settings');
  };
  const saved = async () => (await lumio.api('GET', `/api/v1/workspaces/${lumio.workspaceId}/settings`)).body;

  it('lets an owner list a suggested key, set the half-life and turn personalisation off, refusing a wrong value at its field', async () => {
    const page = await signedIn(OWNER);
    await openSettings(page);
    const main = page.locator('main');
    // Each setting says what it does.
    await expect.poll(() => main.textContent()).toMatch(/never sent back to the browser, except the keys listed here/);
    expect(await main.textContent()).toMatch(/counts half as much/);
    expect(await main.textContent()).toMatch(/ordered for the person reading them/);

    await page.getByRole('button', { name: '+ internal_risk_score' }).click();
    expect(await page.getByLabel('Browser-visible keys').inputValue()).toBe('internal_risk_score');
    const halfLife = page.getByLabel('Interest half-life (days)');
    await halfLife.fill('0');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => halfLife.getAttribute('aria-invalid')).toBe('true');
    expect(await saved()).toMatchObject({ browserVisibleKeys: [], interestHalfLifeDays: 30, personalisedHelp: true });

    await halfLife.fill('14');
    const personalised = page.getByRole('switch', { name: 'Personalised help' });
    expect(await personalised.getAttribute('aria-checked')).toBe('true');
    await personalised.click();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Workspace settings saved.' }).count()).toBe(1);
    expect(await saved()).toMatchObject({ browserVisibleKeys: ['internal_risk_score'], interestHalfLifeDays: 14, personalisedHelp: false });
    // Listed keys are no longer suggested.
    expect(await page.getByRole('button', { name: '+ internal_risk_score' }).count()).toBe(0);
    const audit = (await lumio.api('GET', `/api/v1/workspaces/${lumio.workspaceId}/audit-log`)).body;
    expect(JSON.stringify(audit)).toContain('workspace.settings.update');
    await screenshot(page, 'workspace-settings');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('shows a member the same settings, read-only', async () => {
    const page = await signedIn(MEMBER);
    await openSettings(page);
    const main = page.locator('main');
    await expect.poll(() => main.textContent()).toContain('Only owners and admins can change these.');
    const text = await main.textContent();
    expect(text).toContain('internal_risk_score');
    expect(text).toContain('14 days');
    expect(text).toMatch(/Personalised help\s*Off/);
    expect(await page.getByRole('button', { name: 'Save settings' }).count()).toBe(0);
    expect(await main.getByRole('textbox').count()).toBe(0);
    expect(await main.getByRole('switch').count()).toBe(0);
    await screenshot(page, 'workspace-settings-member');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });
});
