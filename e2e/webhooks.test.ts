// Webhooks in the dashboard, in Chromium against a real `lumio start`: an
// owner adds an endpoint and sees its secret once (gone after a reload); the
// delivery log shows a delivery recorded by the server's own outbox writer,
// its payload and its state, and a resend queues it again with a toast;
// settings save (and disable) with a toast; the secret rotates (shown once);
// a delete is confirmed. A member has no Webhooks entry and the page tells
// them who can use it. axe checks the pages and the secret dialog.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { screenshot, seriousAxeViolations } from './support/dashboard-checks.js';
import { signIn } from './support/dashboard-sign-in.js';
import { startLumio, type E2eServer } from './support/lumio-server.js';
import { recordE2eWebhookEvent } from './support/webhook-delivery.js';
import { request } from '../packages/server/src/test-support/server-process.js';

const MEMBER = { email: 'webhook-member@example.com', password: 'a member password here' };
const URL_ = 'https://hooks.example.com/lumio/receiver';

describe.runIf(browserTestsEnabled())('webhooks in the dashboard', () => {
  let lumio: E2eServer;
  let browser: Browser;
  let page: Page;
  let secret: string;
  let endpointId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    lumio = await startLumio();
    const invite = await lumio.api('POST', `/api/v1/workspaces/${lumio.workspaceId}/invites`, { role: 'member' });
    const accepted = await request(`${lumio.url}/api/v1/invites/accept`, {
      method: 'POST',
      headers: { origin: lumio.url },
      body: { token: invite.body.token, ...MEMBER },
    });
    expect(accepted.status).toBe(201);
    browser = await launchChromium();
    const context = await browser.newContext({ bypassCSP: true });
    contexts.push(context);
    page = await context.newPage();
    await signIn(page, lumio.url);
  }, 90_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await lumio?.stop();
  });

  const toast = (text: string) => page.getByRole('status').filter({ hasText: text });
  const webhooksUrl = () => `${lumio.url}/app/w/${lumio.workspaceId}/webhooks`;

  it('adds an endpoint: its secret is shown once, then never again (not after a reload either)', async () => {
    await page.goto(webhooksUrl());
    await expect.poll(() => page.getByText('No webhook endpoints yet.').isVisible(), { timeout: 15_000 }).toBe(true);
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add webhook endpoint' });
    await dialog.getByLabel('Endpoint URL').fill('ftp://hooks.example.com/x');
    await dialog.getByLabel('Description (optional)').fill('CRM sync');
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();
    // Refused in the form, before anything is sent: the scheme, then no event chosen.
    await expect.poll(() => dialog.getByText('Start the address with https://').isVisible()).toBe(true);
    await dialog.getByLabel('Endpoint URL').fill(URL_);
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();
    await expect.poll(() => dialog.getByText('Choose at least one event').isVisible()).toBe(true);
    await dialog.getByLabel(/A user is seen for the first time/).check();
    await dialog.getByLabel(/A user is erased/).check();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();

    const shown = page.getByRole('dialog', { name: 'Your endpoint’s signing secret' });
    await expect.poll(() => shown.isVisible(), { timeout: 10_000 }).toBe(true);
    secret = (await shown.getByLabel('Webhook signing secret').textContent())!.trim();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(await shown.getByText('it will not be shown again').isVisible()).toBe(true);
    await screenshot(page, 'webhook-secret-shown-once');
    expect(await seriousAxeViolations(page)).toEqual([]);
    // Escape does not close it: only the confirmed button does.
    await page.keyboard.press('Escape');
    expect(await shown.isVisible()).toBe(true);
    const done = shown.getByRole('button', { name: 'I have stored it' });
    expect(await done.isDisabled()).toBe(true);
    await shown.getByLabel('I have copied the secret to a safe place').check();
    await done.click();
    await expect.poll(() => toast('Webhook endpoint added.').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.getByRole('link', { name: URL_ }).isVisible()).toBe(true);
    await expect.poll(() => page.content(), { timeout: 10_000 }).not.toContain(secret);

    await page.reload();
    await expect.poll(() => page.getByRole('link', { name: URL_ }).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.content()).not.toContain(secret);
    await page.getByRole('link', { name: URL_ }).click();
    await page.waitForURL(/\/webhooks\/whe_/);
    endpointId = page.url().split('/').pop()!;
    await expect.poll(() => page.getByRole('heading', { name: 'CRM sync' }).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.content()).not.toContain(secret);
    const listed = await lumio.api('GET', `/api/v1/workspaces/${lumio.workspaceId}/webhooks`);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
  }, 120_000);

  it('shows a delivery in the log with its payload, filters by state, and resends it with a toast', async () => {
    const eventId = await recordE2eWebhookEvent(
      lumio.dataDir,
      lumio.workspaceId,
      'user.created',
      { user: { id: 'u_e2e_ada' } },
      { failed: true },
    );
    await page.goto(`${webhooksUrl()}/${endpointId}`);
    const log = page.getByRole('table', { name: 'Deliveries' });
    await expect.poll(() => log.getByText(eventId).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await log.getByText('HTTP 500', { exact: true }).isVisible()).toBe(true);
    expect(await log.getByText(/^Failed/).isVisible()).toBe(true);

    await log.getByRole('button', { name: `View payload of user.created ${eventId}` }).click();
    const payload = page.getByRole('dialog', { name: 'Payload of user.created' });
    await expect.poll(() => payload.isVisible()).toBe(true);
    const body = JSON.parse((await payload.getByLabel('Payload').textContent())!);
    expect(body).toMatchObject({ id: eventId, type: 'user.created', version: 1, data: { user: { id: 'u_e2e_ada' } } });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await payload.getByRole('button', { name: 'Close' }).click();

    await log.getByRole('button', { name: `Resend user.created ${eventId}` }).click();
    await expect.poll(() => toast('Queued to be sent again.').count(), { timeout: 10_000 }).toBe(1);
    // The failed row stays; a new delivery of the same event is queued.
    await expect.poll(() => log.getByText(eventId).count(), { timeout: 10_000 }).toBe(2);
    await page.getByLabel('Show').selectOption('failed');
    await expect.poll(() => log.getByText(eventId).count(), { timeout: 10_000 }).toBe(1);
    await screenshot(page, 'webhook-delivery-log');
    expect(await seriousAxeViolations(page)).toEqual([]);
    const audit = await lumio.api('GET', `/api/v1/workspaces/${lumio.workspaceId}/audit-log?action=webhook.resend`);
    expect(audit.body.entries).toHaveLength(1);
  }, 120_000);

  it('saves settings and disables the endpoint with a toast; rotates the secret (shown once)', async () => {
    await page.goto(`${webhooksUrl()}/${endpointId}`);
    const description = page.getByLabel('Description (optional)');
    await expect.poll(() => description.isVisible(), { timeout: 15_000 }).toBe(true);
    await description.fill('CRM sync (billing)');
    await expect.poll(() => page.getByText('Unsaved changes').isVisible()).toBe(true);
    await page.getByRole('switch', { name: 'Enabled' }).click();
    await page.getByRole('button', { name: 'Save endpoint' }).click();
    await expect.poll(() => toast('Endpoint disabled.').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.getByRole('heading', { name: 'CRM sync (billing)' }).isVisible()).toBe(true);
    expect(await page.getByText('Unsaved changes').count()).toBe(0);
    const stored = await lumio.api('GET', `/api/v1/workspaces/${lumio.workspaceId}/webhooks/${endpointId}`);
    expect(stored.body).toMatchObject({ description: 'CRM sync (billing)', enabled: false });

    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Rotate secret' }).click();
    const shown = page.getByRole('dialog', { name: 'Your new signing secret' });
    await expect.poll(() => shown.isVisible(), { timeout: 10_000 }).toBe(true);
    const rotated = (await shown.getByLabel('Webhook signing secret').textContent())!.trim();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await shown.getByLabel('I have copied the secret to a safe place').check();
    await shown.getByRole('button', { name: 'I have stored it' }).click();
    // Gone from the page once the dialog has closed (its closing animation may hold it a moment).
    await expect.poll(() => page.content(), { timeout: 10_000 }).not.toContain(rotated);
  }, 120_000);

  it('hides Webhooks from a member: no navigation entry, and the page says who can use it', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    contexts.push(context);
    const member = await context.newPage();
    await signIn(member, lumio.url, MEMBER);
    const nav = member.getByRole('navigation', { name: 'Workspace' });
    await expect.poll(() => nav.getByRole('link', { name: 'Users' }).isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await nav.getByRole('link', { name: 'Webhooks' }).count()).toBe(0);
    await member.goto(webhooksUrl());
    await expect.poll(() => member.getByText('Only owners and admins').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await member.getByText(URL_).count()).toBe(0);
    expect(await seriousAxeViolations(member)).toEqual([]);
  }, 60_000);

  it('deletes the endpoint after a confirmation', async () => {
    await page.goto(`${webhooksUrl()}/${endpointId}`);
    await page.getByRole('button', { name: 'Delete endpoint' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete this webhook endpoint?' });
    await expect.poll(() => confirm.isVisible()).toBe(true);
    await confirm.getByRole('button', { name: 'Delete endpoint' }).click();
    await page.waitForURL(/\/webhooks$/);
    await expect.poll(() => toast('Webhook endpoint deleted.').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.getByText('No webhook endpoints yet.').isVisible(), { timeout: 10_000 }).toBe(true);
    expect((await lumio.api('GET', `/api/v1/workspaces/${lumio.workspaceId}/webhooks/${endpointId}`)).status).toBe(404);
  }, 60_000);
});
