// The instance's email settings in Chromium against a real `lumio start`: the
// instance owner (who completed setup) finds "Email settings" under Your
// account, fills in SMTP settings pointing at a real SMTP server started by
// the test (with authentication), sees a wrong value refused at its field,
// saves, and sends a test email that arrives there. An admin of the same
// workspace is not offered the page and is refused it by URL. Each view is
// checked by axe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { screenshot, seriousAxeViolations } from './support/dashboard-checks.js';
import { startLumio, type E2eServer } from './support/lumio-server.js';
import { signIn } from './support/dashboard-sign-in.js';
import { request } from '../packages/server/src/test-support/server-process.js';
import { startSmtpCapture, type SmtpCapture } from '../packages/server/src/test-support/smtp-capture.js';

const OWNER = { email: 'owner@example.com', password: 'correct horse battery staple' };
const ADMIN = { email: 'email-admin@example.com', password: 'another long password' };
const SMTP_USER = 'lumio-e2e';
const SMTP_PASSWORD = 'smtp secret in the browser';

describe.runIf(browserTestsEnabled())('instance email settings in Chromium', () => {
  let lumio: E2eServer;
  let smtp: SmtpCapture;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    smtp = await startSmtpCapture({ user: SMTP_USER, password: SMTP_PASSWORD });
    lumio = await startLumio();
    const invite = await lumio.api('POST', `/api/v1/workspaces/${lumio.workspaceId}/invites`, { role: 'admin' });
    const accepted = await request(`${lumio.url}/api/v1/invites/accept`, {
      method: 'POST',
      headers: { origin: lumio.url },
      body: { token: invite.body.token, ...ADMIN },
    });
    expect(accepted.status).toBe(201);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await lumio?.stop();
    await smtp?.close();
  });

  const signedIn = async (who: { email: string; password: string }) => {
    const context = await browser.newContext({ bypassCSP: true });
    contexts.push(context);
    const page = await context.newPage();
    await signIn(page, lumio.url, who);
    return page;
  };

  it('lets the instance owner set SMTP, refuses a wrong value at its field, and sends a test email that arrives', async () => {
    const page = await signedIn(OWNER);
    await page.goto(`${lumio.url}/app/account`);
    await page.getByRole('link', { name: 'Email settings' }).click();
    await page.waitForURL(/\/app\/instance\/email$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Email');
    // Nothing to test before settings exist.
    expect(await page.getByRole('button', { name: 'Send test email' }).isDisabled()).toBe(true);
    // The public URL starts as the address the dashboard is open at.
    expect(await page.getByLabel("Dashboard's public URL").inputValue()).toBe(`${lumio.url}/app/`);

    await page.getByLabel('SMTP host').fill('127.0.0.1');
    await page.getByLabel('Security').selectOption('none');
    await page.getByLabel('Port').fill('0');
    await page.getByLabel('User').fill(SMTP_USER);
    await page.getByLabel('Password', { exact: true }).fill(SMTP_PASSWORD);
    await page.getByLabel('From').fill('Lumio E2E <lumio@example.com>');
    await page.getByRole('button', { name: 'Save email settings' }).click();
    await expect.poll(() => page.getByLabel('Port').getAttribute('aria-invalid')).toBe('true');
    expect((await lumio.api('GET', '/api/v1/instance/email')).body.settings).toBeNull();

    await page.getByLabel('Port').fill(String(smtp.port));
    await page.getByRole('button', { name: 'Save email settings' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Email settings saved.' }).count()).toBe(1);
    // The password went in, and never comes back: not to the form, not from the API.
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    await expect.poll(() => page.locator('main').textContent()).toContain('A password is set.');
    const stored = await lumio.api('GET', '/api/v1/instance/email');
    expect(stored.body).toMatchObject({
      source: 'dashboard',
      settings: { host: '127.0.0.1', port: smtp.port, security: 'none', user: SMTP_USER, passwordSet: true },
    });
    expect(JSON.stringify(stored.body)).not.toContain(SMTP_PASSWORD);

    await page.getByRole('button', { name: 'Send test email' }).click();
    await expect
      .poll(
        () =>
          page
            .getByRole('status')
            .filter({ hasText: `Test email sent to ${OWNER.email}` })
            .count(),
        { timeout: 15_000 },
      )
      .toBe(1);
    const mail = await smtp.next((m) => m.to.includes(OWNER.email) && m.subject === 'Lumio test email');
    expect(mail.from).toBe('lumio@example.com');
    expect(mail.links).toEqual([`${lumio.url}/app/`]);
    await screenshot(page, 'instance-email');
    expect(await seriousAxeViolations(page)).toEqual([]);

    // With email set up, the workspace's identity alert settings no longer say it is missing.
    await page.goto(`${lumio.url}/app/w/${lumio.workspaceId}/settings`);
    await expect.poll(() => page.getByRole('switch', { name: 'Email owners and admins when identify fails' }).count()).toBe(1);
    expect(await page.locator('main').textContent()).not.toContain('Alerts need outgoing email');
  });

  it('does not offer the page to an admin who is not the instance owner, and refuses it by URL', async () => {
    const page = await signedIn(ADMIN);
    await page.goto(`${lumio.url}/app/account`);
    await expect.poll(() => page.getByRole('heading', { name: 'Workspaces' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Email settings' }).count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toContain('This Lumio instance');
    await page.goto(`${lumio.url}/app/instance/email`);
    await expect.poll(() => page.locator('main').textContent()).toContain('Only the owner of this Lumio instance');
    expect(await page.getByRole('textbox').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Send test email' }).count()).toBe(0);
    await screenshot(page, 'instance-email-refused');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });
});
