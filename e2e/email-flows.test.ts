// Email as a team meets it, in Chromium against a real `lumio start` whose
// LUMIO_SMTP_URL points at a real SMTP server the test runs: an owner invites
// by address from the Team page, the invitee opens the emailed link in a
// fresh browser and lands signed in in the workspace; "Forgot password?"
// emails a link that resets once (opened again, it is refused in plain
// words); and a server without SMTP says so on the Team and forgot-password
// pages while the copyable link still works. axe checks each new page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { screenshot, seriousAxeViolations } from './support/dashboard-checks.js';
import { startLumio, type E2eServer } from './support/lumio-server.js';
import { startSmtpCapture, type SmtpCapture } from '../packages/server/src/test-support/smtp-capture.js';

const OWNER = { email: 'owner@example.com', password: 'correct horse battery staple' };
const ADA = { email: 'ada@example.com', name: 'Ada Lovelace', password: 'analytical engine 1843' };
const ADA_NEW_PASSWORD = 'difference engine 1822';

describe.runIf(browserTestsEnabled())('email flows in Chromium', () => {
  let smtp: SmtpCapture;
  let lumio: E2eServer;
  let bare: E2eServer;
  let browser: Browser;

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    lumio = await startLumio({ LUMIO_SMTP_URL: smtp.url, LUMIO_DEMO: 'false' });
    bare = await startLumio({ LUMIO_DEMO: 'false' });
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await lumio?.stop();
    await bare?.stop();
    await smtp?.close();
  });

  // Each person gets a browser of their own: nothing carries over but what the email holds.
  const freshPage = async () => (await browser.newContext({ bypassCSP: true })).newPage();
  const signIn = async (page: Page, server: E2eServer, who: { email: string; password: string }) => {
    await page.goto(`${server.url}/app/sign-in`);
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/app\/w\//);
  };
  const expectNoAxeViolations = async (page: Page, name: string) => {
    await screenshot(page, name);
    expect(await seriousAxeViolations(page), name).toEqual([]);
  };

  it('invites ada@example.com from the Team page; the emailed link signs her in, in the workspace', async () => {
    const owner = await freshPage();
    await signIn(owner, lumio, OWNER);
    await owner.goto(`${lumio.url}/app/w/${lumio.workspaceId}/team`);
    await owner.getByLabel('Email (optional)').fill(ADA.email);
    await owner.getByRole('button', { name: 'Send invite' }).click();
    const dialog = owner.getByRole('dialog', { name: 'Invite link' });
    await expect.poll(() => dialog.getByRole('status').first().textContent()).toContain(`Sent to ${ADA.email}`);
    // The link is still there to copy, as a fallback.
    expect(await dialog.locator('code').textContent()).toMatch(/\/app\/invite#token=/);
    await expectNoAxeViolations(owner, 'email-invite-sent');
    await dialog.getByRole('button', { name: 'Done' }).click();
    const pending = owner.getByRole('region', { name: 'Invites' }).getByRole('table');
    await expect.poll(() => pending.textContent()).toContain(ADA.email);

    const mail = await smtp.next((m) => m.to.includes(ADA.email));
    expect(mail.subject).toContain('invites you to E2E on Lumio');
    const link = mail.links[0]!;
    expect(link.startsWith(`${lumio.url}/app/invite#token=`)).toBe(true);

    const ada = await freshPage();
    await ada.goto(link);
    const email = ada.getByLabel('Email');
    await expect.poll(() => email.inputValue()).toBe(ADA.email);
    expect(await email.getAttribute('readonly')).not.toBeNull();
    await ada.getByLabel('Your name').fill(ADA.name);
    await ada.getByLabel('Password').fill(ADA.password);
    await expectNoAxeViolations(ada, 'email-invite-accept');
    await ada.getByRole('button', { name: 'Accept the invite' }).click();
    // Signed in at once, in the workspace: no second sign-in.
    await ada.waitForURL(new RegExp(`/app/w/${lumio.workspaceId}/`));
    const nav = ada.getByRole('navigation', { name: 'Workspace' });
    await expect.poll(() => nav.getByRole('link', { name: 'Widgets' }).isVisible()).toBe(true);
    const me = await ada.evaluate(async () => (await fetch('/api/v1/auth/me')).json());
    expect(me.account).toMatchObject({ email: ADA.email, name: ADA.name });
    await ada.context().close();
    await owner.context().close();
  });

  it('"Forgot password?" emails a link that sets a new password once; opened again it is refused in plain words', async () => {
    const page = await freshPage();
    await page.goto(`${lumio.url}/app/sign-in`);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.waitForURL(/\/app\/forgot-password/);
    await page.getByLabel('Email').fill(ADA.email);
    await expectNoAxeViolations(page, 'forgot-password');
    await page.getByRole('button', { name: 'Email me a reset link' }).click();
    await expect
      .poll(() => page.getByRole('main').getByRole('status').textContent())
      .toContain(`If an account has the address ${ADA.email}`);
    await expectNoAxeViolations(page, 'forgot-password-requested');

    const mail = await smtp.next((m) => m.to.includes(ADA.email) && m.subject === 'Reset your Lumio password');
    const link = mail.links[0]!;
    expect(link.startsWith(`${lumio.url}/app/reset-password#token=`)).toBe(true);

    const reset = await freshPage();
    await reset.goto(link);
    await reset.getByLabel('New password').fill(ADA_NEW_PASSWORD);
    await expectNoAxeViolations(reset, 'reset-password');
    await reset.getByRole('button', { name: 'Set the password' }).click();
    await reset.waitForURL(/\/app\/w\//);
    await reset.context().close();

    const signedIn = await freshPage();
    await signIn(signedIn, lumio, { email: ADA.email, password: ADA_NEW_PASSWORD });
    await signedIn.context().close();

    const again = await freshPage();
    await again.goto(link);
    await again.getByLabel('New password').fill('yet another long password');
    await again.getByRole('button', { name: 'Set the password' }).click();
    await expect.poll(() => again.getByRole('alert').textContent()).toContain('The password-reset link is invalid, used or expired');
    await again.context().close();
  });

  it('without SMTP, says email is not set up on the Team and forgot-password pages; the copyable link still works', async () => {
    const owner = await freshPage();
    await signIn(owner, bare, OWNER);
    await owner.goto(`${bare.url}/app/w/${bare.workspaceId}/team`);
    await expect.poll(() => owner.getByText('Email is not set up on this Lumio instance').first().isVisible()).toBe(true);
    await owner.getByLabel('Email (optional)').fill('grace@example.com');
    await owner.getByRole('button', { name: 'Create invite link' }).click();
    const dialog = owner.getByRole('dialog', { name: 'Invite link' });
    await expect.poll(() => dialog.getByRole('status').first().textContent()).toContain('nothing was sent to grace@example.com');
    await expectNoAxeViolations(owner, 'email-invite-not-configured');
    const link = (await dialog.locator('code').textContent())!;

    const grace = await freshPage();
    await grace.goto(link);
    await expect.poll(() => grace.getByLabel('Email').inputValue()).toBe('grace@example.com');
    await grace.getByLabel('Password').fill('a long enough password');
    await grace.getByRole('button', { name: 'Accept the invite' }).click();
    await grace.waitForURL(new RegExp(`/app/w/${bare.workspaceId}/`));
    await grace.context().close();

    const forgot = await freshPage();
    await forgot.goto(`${bare.url}/app/forgot-password`);
    await expect
      .poll(() => forgot.getByRole('main').getByRole('status').textContent())
      .toContain('Email is not set up on this Lumio instance');
    expect(await forgot.getByRole('button', { name: 'Email me a reset link' }).count()).toBe(0);
    await expectNoAxeViolations(forgot, 'forgot-password-not-configured');
    await forgot.context().close();
    await owner.context().close();
    expect(smtp.received.filter((m) => m.to.includes('grace@example.com'))).toEqual([]);
  });
});
