// The dashboard end to end: a real `lumio start` on a fresh data dir, driven
// through its pages in Chromium. First run (the printed setup link), sign-out
// and sign-in, the workspace shell; a member's view hides the team's controls
// (the API refuses them too: packages/server tests). Every main page is
// checked by axe (no serious or critical violations) and saved as a
// screenshot under e2e/output/dashboard/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { screenshot, seriousAxeViolations } from './support/dashboard-checks.js';
import { startUnsetLumio, type UnsetLumio } from './support/lumio-server.js';

const OWNER = { email: 'owner@example.com', password: 'correct horse battery staple' };
const MEMBER = { email: 'member@example.com', password: 'another long password' };

describe.runIf(browserTestsEnabled())('dashboard in Chromium', () => {
  let lumio: UnsetLumio;
  let browser: Browser;
  let owner: BrowserContext;
  let ownerPage: Page;
  let workspaceId: string;

  beforeAll(async () => {
    lumio = await startUnsetLumio();
    browser = await launchChromium();
    // bypassCSP: only so axe can be injected; the app itself runs under its CSP in every other test.
    owner = await browser.newContext({ bypassCSP: true });
    ownerPage = await owner.newPage();
  }, 60_000);

  afterAll(async () => {
    await owner?.close().catch(() => undefined);
    await browser?.close();
    await lumio?.stop();
  });

  const expectAccessible = async (page: Page, name: string) => {
    await screenshot(page, name);
    expect(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
  };

  it('sets up the owner and first workspace from the printed link, by keyboard', async () => {
    const page = ownerPage;
    await page.goto(`${lumio.url}/app/setup#token=${lumio.setupToken}`);
    await expect.poll(() => page.getByRole('heading', { name: 'Set up Lumio' }).isVisible()).toBe(true);
    // The token left the address bar once read.
    expect(page.url()).not.toContain('lsu_');
    await expectAccessible(page, 'setup');
    await page.getByLabel('Your email').focus();
    await page.keyboard.type(OWNER.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Olivia Owner');
    await page.keyboard.press('Tab');
    await page.keyboard.type(OWNER.password);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Acme');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/app\/w\/ws_[^/]+\/widgets/);
    workspaceId = /\/app\/w\/(ws_[^/?]+)/.exec(page.url())![1]!;
    const nav = page.getByRole('navigation', { name: 'Workspace' });
    // The URL changes first; the shell renders once the new session is read.
    for (const item of [
      'Widgets',
      'Announcements',
      'Segments',
      'Help center',
      'Users',
      'Analytics',
      'Workspace settings',
      'Team',
      'API keys',
      'Audit log',
    ])
      await expect.poll(() => nav.getByRole('link', { name: item, exact: true }).isVisible(), { message: item }).toBe(true);
  });

  it('signs out, sends a signed-out visitor to sign in, and back to the page asked for', async () => {
    const page = ownerPage;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/app\/sign-in/);
    await page.goto(`${lumio.url}/app/w/${workspaceId}/team`);
    await page.waitForURL(/\/app\/sign-in\?next=/);
    await expectAccessible(page, 'sign-in');
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/password/i);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(new RegExp(`/app/w/${workspaceId}/team`));
  });

  it("shows a member the content pages and none of the team's controls", async () => {
    const invite = await ownerPage.evaluate(async (ws) => {
      const res = await fetch(`/api/v1/workspaces/${ws}/invites`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'member' }),
      });
      return (await res.json()) as { url: string };
    }, workspaceId);
    const context = await browser.newContext({ bypassCSP: true });
    try {
      const page = await context.newPage();
      await page.goto(invite.url);
      await page.getByLabel('Email').fill(MEMBER.email);
      await page.getByLabel('Password').fill(MEMBER.password);
      await page.getByRole('button', { name: 'Accept the invite' }).click();
      // Accepting with a new account signs it in and lands in the workspace.
      await page.waitForURL(new RegExp(`/app/w/${workspaceId}/widgets`));
      const nav = page.getByRole('navigation', { name: 'Workspace' });
      await expect.poll(() => nav.getByRole('link', { name: 'Widgets' }).isVisible()).toBe(true);
      // Members read the workspace settings (read-only there).
      expect(await nav.getByRole('link', { name: 'Workspace settings' }).count()).toBe(1);
      for (const item of ['Team', 'API keys', 'Audit log']) expect(await nav.getByRole('link', { name: item }).count(), item).toBe(0);
      await expect.poll(() => page.getByRole('button', { name: /Switch workspace/ }).textContent()).toContain('member');
    } finally {
      await context.close();
    }
  });
});
