// The audit log and a user's activity in Chromium against a real `lumio
// start`: a few actions through the API, then the audit log shows the names
// of what they touched and who did them, in words; it filters by who, by
// action and by days, with the filters in the URL (a shared link opens the
// same view); a refused secret reveal is there too. A user's activity names
// the announcement they saw, its id on hover. axe checks the audit page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { screenshot, seriousAxeViolations } from './support/dashboard-checks.js';
import { startLumio, type E2eServer } from './support/lumio-server.js';
import { signIn } from './support/dashboard-sign-in.js';
import { sendAsVerifiedUser } from './support/verified-user.js';
import { request } from '../packages/server/src/test-support/server-process.js';

const OWNER = { email: 'owner@example.com', password: 'correct horse battery staple' };
const ADMIN = { email: 'audit-admin@example.com', password: 'another long password' };

// A day in the browser's time zone as the date input takes it.
const localDay = (offsetDays: number) => {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

describe.runIf(browserTestsEnabled())('audit log and user activity in Chromium', () => {
  let lumio: E2eServer;
  let browser: Browser;
  let announcementId: string;
  let adminId: string;
  let widgetId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    lumio = await startLumio();
    const ws = `/api/v1/workspaces/${lumio.workspaceId}`;
    const widget = await lumio.createWidget({ name: 'Checkout widget' });
    widgetId = widget.id;
    expect((await lumio.api('POST', `${ws}/segments`, { name: 'Pro plans', condition: { plan: 'pro' } })).status).toBe(201);
    const announcement = await lumio.api('POST', `${ws}/announcements`, {
      kind: 'post',
      title: 'Dark mode is here',
      body: 'b',
      status: 'live',
    });
    expect(announcement.status).toBe(201);
    announcementId = announcement.body.id;
    expect((await lumio.api('POST', `${ws}/api-keys`, { name: 'Billing backend' })).status).toBe(201);
    const refused = await lumio.api('POST', `${ws}/widgets/${widget.id}/secrets/reveal`, { password: 'not my password at all' });
    expect(refused.body.error.code).toBe('reauthentication_required');
    const invite = await lumio.api('POST', `${ws}/invites`, { role: 'admin' });
    const accepted = await request(`${lumio.url}/api/v1/invites/accept`, {
      method: 'POST',
      headers: { origin: lumio.url },
      body: { token: invite.body.token, ...ADMIN },
    });
    expect(accepted.status).toBe(201);
    adminId = accepted.body.accountId;

    // Ada, verified, sees the announcement in the widget.
    const events = await sendAsVerifiedUser(lumio.url, widget, 'ada', [{ name: '$announcement_shown', props: { announcementId } }]);
    expect(events.body).toMatchObject({ accepted: 1 });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await lumio?.stop();
  });

  const signedIn = async () => {
    const context = await browser.newContext({ bypassCSP: true });
    contexts.push(context);
    const page = await context.newPage();
    await signIn(page, lumio.url, OWNER);
    return page;
  };
  const table = (page: Page) => page.getByRole('table', { name: 'Audit log entries' });
  const rowTexts = async (page: Page) => (await table(page).locator('tbody tr').allTextContents()).map((t) => t.replace(/\s+/g, ' '));
  const settled = async (page: Page) => {
    await expect.poll(async () => (await table(page).count()) + (await page.getByText('No entries match these filters.').count())).toBe(1);
  };

  it('shows names and words, and filters by who, by action and by days, in the URL', async () => {
    const page = await signedIn();
    await page.goto(`${lumio.url}/app/w/${lumio.workspaceId}/audit-log`);
    await settled(page);
    const all = (await rowTexts(page)).join('\n');
    expect(all).toContain('Created a widget');
    expect(all).toContain('Widget: Checkout widget');
    expect(all).toContain('Segment: Pro plans');
    expect(all).toContain('Announcement: Dark mode is here');
    expect(all).toContain('API key: Billing backend');
    expect(all).toContain('Signing secret reveal refused (wrong password)');
    expect(all).toContain(OWNER.email);
    // No action codes in place of words.
    expect(all).not.toMatch(/\b(widget|segment|api_key|secret)\.[a-z_]+/);
    // The id is at hand on hover.
    expect(await table(page).getByText('Checkout widget', { exact: true }).first().getAttribute('title')).toBe(widgetId);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'audit-log');

    // Who: the admin, who only joined.
    await page.getByLabel('Who').selectOption(adminId);
    await page.waitForURL(new RegExp(`actor=${adminId}`));
    await settled(page);
    // The table may stand empty while the filtered answer is on its way (a loaded machine): wait for its row.
    await expect.poll(async () => (await rowTexts(page)).length, { timeout: 10_000 }).toBe(1);
    const byAdmin = await rowTexts(page);
    expect(byAdmin[0]).toContain('Joined the workspace');
    expect(byAdmin[0]).toContain(ADMIN.email);

    // Action, with who cleared: the one segment created.
    await page.getByLabel('Who').selectOption('');
    await page.getByLabel('Action').selectOption({ label: 'Created a segment' });
    await page.waitForURL(/action=segment\.create/);
    await settled(page);
    await expect.poll(() => rowTexts(page), { timeout: 10_000 }).toEqual([expect.stringContaining('Segment: Pro plans')]);
    expect(page.url()).not.toContain('actor=');

    // Days: from tomorrow on there is nothing; today holds everything again.
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByLabel('From').fill(localDay(1));
    await settled(page);
    await expect.poll(() => page.getByText('No entries match these filters.').count()).toBe(1);
    await page.getByLabel('From').fill(localDay(0));
    await page.getByLabel('To').fill(localDay(0));
    await page.waitForURL(new RegExp(`from=${localDay(0)}&to=${localDay(0)}`));
    // The "nothing matches" of the day before may stand until the new answer comes: wait for the rows.
    await expect.poll(async () => (await rowTexts(page)).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(7);
    // An end before the start says so at its field.
    await page.getByLabel('To').fill(localDay(-1));
    await expect.poll(() => page.getByLabel('To').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('The end is before the start.').count()).toBe(1);

    // A shared link opens the same filtered view.
    const other = await signedIn();
    await other.goto(`${lumio.url}/app/w/${lumio.workspaceId}/audit-log?action=secret.reveal_denied&from=${localDay(0)}`);
    await settled(other);
    expect(await other.getByLabel('Action').inputValue()).toBe('secret.reveal_denied');
    const denied = await rowTexts(other);
    expect(denied).toHaveLength(1);
    expect(denied[0]).toContain('Widget: Checkout widget');
    expect(denied[0]).not.toContain('not my password');
    expect(await seriousAxeViolations(other)).toEqual([]);
  }, 90_000);

  it("shows the announcement's title in a user's activity, its id on hover", async () => {
    const page = await signedIn();
    await page.goto(`${lumio.url}/app/w/${lumio.workspaceId}/users/ada`);
    const about = page.getByRole('table').getByText('Dark mode is here', { exact: true });
    await expect.poll(() => about.count()).toBe(1);
    expect(await about.getAttribute('title')).toBe(`announcement ${announcementId}`);
    expect(await seriousAxeViolations(page)).toEqual([]);
  }, 60_000);
});
