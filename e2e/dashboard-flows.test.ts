// The dashboard's main journeys in Chromium against a real `lumio start`:
// create a widget and copy its snippet into a host page (served from another
// origin, as a customer's app would be) whose server half signs the user id;
// the verified identify shows in Users and in identity health; reveal the
// secret as owner (the password is asked: LUMIO_REAUTH_SECONDS=0) and see a
// member refused; rotate and see both keys; target an announcement with the
// rule builder (the audience count follows the rules), publish it and see it
// only for the matching user; filter analytics by plan and see the figures
// change. Each main page is checked by axe and saved as a screenshot.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { screenshot, seriousAxeViolations } from './support/dashboard-checks.js';
import { startUnsetLumio, type UnsetLumio } from './support/lumio-server.js';

const OWNER = { email: 'owner@example.com', password: 'correct horse battery staple' };
const MEMBER = { email: 'member@example.com', password: 'another long password' };
const USERS = {
  ada: { userId: 'u_ada', name: 'Ada', plan: 'pro' },
  grace: { userId: 'u_grace', name: 'Grace', plan: 'free' },
} as const;
const TITLE = 'Pro reports are here';

describe.runIf(browserTestsEnabled())('dashboard journeys in Chromium', () => {
  let lumio: UnsetLumio;
  let browser: Browser;
  let owner: BrowserContext;
  let page: Page;
  let workspaceId: string;
  let widgetId: string;
  let secret: string;
  let snippet: string;
  let host: { origin: string; close(): Promise<void> };

  beforeAll(async () => {
    // Reveal always asks for the password, so the test sees the prompt at once.
    lumio = await startUnsetLumio({ LUMIO_REAUTH_SECONDS: '0', LUMIO_DEMO: 'false' });
    const res = await fetch(`${lumio.url}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: lumio.setupToken, ...OWNER, workspaceName: 'Acme' }),
    });
    workspaceId = ((await res.json()) as { workspace: { id: string } }).workspace.id;
    host = await startHostApp(() => ({ snippet, secret }));
    browser = await launchChromium();
    owner = await browser.newContext({ bypassCSP: true });
    page = await owner.newPage();
    await signIn(page, OWNER);
  }, 60_000);

  afterAll(async () => {
    for (const context of leftContexts) await context.close().catch(() => undefined);
    await owner?.close().catch(() => undefined);
    await browser?.close();
    await host?.close();
    await lumio?.stop();
  });

  const signIn = async (target: Page, who: { email: string; password: string }) => {
    await target.goto(`${lumio.url}/app/sign-in`);
    await target.getByLabel('Email').fill(who.email);
    await target.getByLabel('Password').fill(who.password);
    await target.getByRole('button', { name: 'Sign in' }).click();
    await target.waitForURL(/\/app\/w\//);
  };
  const checkPage = async (target: Page, name: string) => {
    await screenshot(target, name);
    expect(await seriousAxeViolations(target), `axe on ${name}`).toEqual([]);
  };
  const ws = (path: string) => `${lumio.url}/app/w/${workspaceId}/${path}`;
  /** Opens the host app as a user: the page identifies, verified, with the user's plan. */
  const leftContexts: BrowserContext[] = [];
  const visitHost = async (user: keyof typeof USERS) => {
    const context = await browser.newContext();
    const hostPage = await context.newPage();
    await hostPage.goto(`${host.origin}/?user=${user}`);
    await expect
      .poll(() => hostPage.evaluate(() => (window as unknown as { identified?: string }).identified), { timeout: 15_000 })
      .toBe('verified');
    // Leaving the page sends the queued events (fetch keepalive on pagehide). The context
    // stays open until the suite ends: closing it at once could cancel that request on a busy
    // machine (an event went missing that way), and Playwright does not see keepalive requests.
    const leave = async () => {
      await hostPage.goto('about:blank');
      leftContexts.push(context);
    };
    return { context, page: hostPage, leave };
  };

  it('creates a widget: the secret is shown once, the snippet has the widget id', async () => {
    await page.goto(ws('widgets'));
    await page.getByRole('button', { name: 'Create widget' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create widget' });
    await dialog.getByLabel('Name').fill('Web app');
    await dialog.getByLabel('Allowed origins').fill(host.origin);
    await dialog.getByRole('button', { name: 'Create widget' }).click();
    const shown = page.getByRole('dialog', { name: "Your widget's signing secret" });
    secret = (await shown.getByLabel('Signing secret').textContent())!.trim();
    expect(secret).toMatch(/^lsk_/);
    await checkPage(page, 'widget-secret-shown-once');
    await shown.getByRole('checkbox').check();
    await shown.getByRole('button', { name: 'I have stored it' }).click();
    await page.waitForURL(/\/widgets\/wgt_/);
    widgetId = /\/widgets\/(wgt_[^/?]+)/.exec(page.url())![1]!;
    snippet = (await page.getByLabel('Install snippet').textContent())!;
    expect(snippet).toContain(widgetId);
    expect(snippet).not.toContain(secret);
    await checkPage(page, 'widget-install');
    await page.getByRole('tab', { name: 'Signing code' }).click();
    await checkPage(page, 'widget-signing-code');
    await page.goto(ws('widgets'));
    await checkPage(page, 'widgets');
  });

  it('shows the host page’s verified identify in Users and in identity health', async () => {
    for (const user of ['ada', 'grace'] as const) {
      await (await visitHost(user)).leave();
    }
    await page.goto(ws('users'));
    await page.getByLabel('Search').fill('u_ada');
    const row = page.getByRole('row', { name: /u_ada/ });
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toMatch(/verified/i);
    await checkPage(page, 'users');
    await page.getByRole('link', { name: /u_ada/ }).first().click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Ada|u_ada/);
    await expect.poll(() => page.locator('main').textContent()).toContain('pro');
    await checkPage(page, 'user');

    await page.goto(`${ws(`widgets/${widgetId}`)}?tab=health`);
    await expect.poll(() => page.locator('main').textContent(), { timeout: 10_000 }).toMatch(/100(\.0)?%/);
    await checkPage(page, 'widget-identity-health');
  });

  it('reveals the secret to the owner after the password, audited; a member sees neither secret nor controls', async () => {
    await page.goto(`${ws(`widgets/${widgetId}`)}?tab=secrets`);
    await page.getByRole('button', { name: 'Reveal secret' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reveal signing secret' });
    await dialog.getByLabel('Your password').fill('not my password');
    await dialog.getByRole('button', { name: 'Confirm and reveal' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/password/i);
    await dialog.getByLabel('Your password').fill(OWNER.password);
    await dialog.getByRole('button', { name: 'Confirm and reveal' }).click();
    await expect.poll(() => dialog.locator('pre').first().textContent()).toBe(secret);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await checkPage(page, 'widget-secrets');
    const audit = await page.evaluate(async (id) => (await fetch(`/api/v1/workspaces/${id}/audit-log`)).json(), workspaceId);
    expect(JSON.stringify(audit)).toContain('secret.reveal');

    const invite = await page.evaluate(async (id) => {
      const res = await fetch(`/api/v1/workspaces/${id}/invites`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'member' }),
      });
      return (await res.json()) as { token: string };
    }, workspaceId);
    await fetch(`${lumio.url}/api/v1/invites/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: lumio.url },
      body: JSON.stringify({ token: invite.token, ...MEMBER }),
    });
    const context = await browser.newContext({ bypassCSP: true });
    try {
      const member = await context.newPage();
      await signIn(member, MEMBER);
      await member.goto(`${ws(`widgets/${widgetId}`)}?tab=secrets`);
      await expect.poll(() => member.locator('main').textContent()).toMatch(/secret/i);
      expect(await member.getByRole('button', { name: 'Reveal secret' }).count()).toBe(0);
      expect(await member.getByRole('button', { name: 'Rotate secret' }).count()).toBe(0);
      expect(await member.locator('main').textContent()).not.toContain(secret);
      const refused = await member.evaluate(
        async ([id, wid, password]) => {
          const res = await fetch(`/api/v1/workspaces/${id}/widgets/${wid}/secrets/reveal`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ password }),
          });
          return { status: res.status, body: await res.text() };
        },
        [workspaceId, widgetId, MEMBER.password] as const,
      );
      expect(refused.status).toBe(403);
      expect(refused.body).not.toContain(secret);
      await checkPage(member, 'widget-secrets-member');
    } finally {
      await context.close();
    }
  });

  it('rotates the secret and lists both keys', async () => {
    await page.goto(`${ws(`widgets/${widgetId}`)}?tab=secrets`);
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate signing secret' });
    await dialog.getByRole('button', { name: 'Rotate secret' }).click();
    const shown = page.getByRole('dialog', { name: 'Your new signing secret' });
    const rotated = (await shown.getByLabel('Signing secret').textContent())!.trim();
    expect(rotated).toMatch(/^lsk_/);
    expect(rotated).not.toBe(secret);
    await shown.getByRole('checkbox').check();
    await shown.getByRole('button', { name: 'I have stored it' }).click();
    const rows = page.getByRole('table').getByRole('row').filter({ hasText: /sk_/ });
    await expect.poll(() => rows.count()).toBe(2);
    // The host app still signs with the old secret: it keeps verifying during the grace period.
    await (await visitHost('ada')).leave();
  });

  it('targets an announcement with the rule builder, the audience count following, and shows it to the matching user only', async () => {
    await page.goto(ws('announcements'));
    await checkPage(page, 'announcements');
    await page.getByRole('link', { name: 'New announcement' }).click();
    await page.getByLabel('Appears as').selectOption('banner');
    await page.getByLabel('Title').fill(TITLE);
    await page.getByRole('textbox', { name: 'Body (Markdown)' }).fill('Open **Reports** to see them.');
    const count = page.getByTestId('audience-count');
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('2');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('Attribute of rule 1').fill('plan');
    await page.getByLabel('Value of rule 1').fill('pro');
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('1');
    await page.getByLabel('Value of rule 1').fill('free');
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('1');
    await page.getByLabel('Value of rule 1').fill('enterprise');
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('0');
    await page.getByLabel('Value of rule 1').fill('pro');
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('1');
    await checkPage(page, 'announcement-editor');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect.poll(() => page.locator('main').textContent(), { timeout: 10_000 }).toMatch(/live/i);

    const ada = await visitHost('ada');
    const grace = await visitHost('grace');
    try {
      await expect.poll(() => ada.page.getByRole('region', { name: TITLE }).isVisible(), { timeout: 15_000 }).toBe(true);
      // Grace's widget has loaded its announcements (the feed answered) and shows no banner.
      await grace.page.waitForTimeout(2_000);
      expect(await grace.page.getByRole('region', { name: TITLE }).count()).toBe(0);
    } finally {
      await ada.leave();
      await grace.leave();
    }
    await page.goto(ws('segments'));
    await checkPage(page, 'segments');
  });

  it('changes the analytics figures when filtered by plan', async () => {
    // Each host visit tracked `Report Exported` once: Ada (pro) three times, Grace (free) twice.
    await page.goto(ws('analytics'));
    await page.getByLabel('Event', { exact: true }).fill('Report Exported');
    const totals = page.locator('.analytics-totals');
    const applied = async () => {
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.waitForTimeout(300);
      return totals.textContent();
    };
    await expect.poll(applied, { timeout: 20_000 }).toMatch(/5 events by 2 people/);
    // The event picker offers the app's own event beside the built-in ones.
    const picked = await page
      .getByLabel('Event', { exact: true })
      .evaluate((input) => Array.from((input as HTMLInputElement).list?.options ?? [], (option) => option.value));
    expect(picked).toEqual(expect.arrayContaining(['$widget_opened', 'Report Exported']));
    await checkPage(page, 'analytics');
    await page.getByRole('tab', { name: 'JSON' }).click();
    await page.getByLabel('Condition as JSON').fill('{ "plan": "pro" }');
    await expect.poll(applied, { timeout: 20_000 }).toMatch(/3 events by 1 (people|person)/);
    expect(page.url()).toContain('plan');
  }, 60_000);

  // Each page is checked by axe and photographed: slow under a loaded CI, hence its own test and time.
  it('lists the help center with its counts, and every other main page passes axe', async () => {
    // A collection with two articles and one outside it: the help center lists them and counts each.
    await page.evaluate(async (base) => {
      const post = async (path: string, body: object) => {
        const res = await fetch(`${base}/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
        return (await res.json()) as { id: string };
      };
      const billing = await post('collections', { name: 'Billing' });
      await post('articles', {
        title: 'Download invoices',
        body: 'From **Settings**.',
        collectionId: billing.id,
        status: 'published',
        tags: ['invoices'],
      });
      await post('articles', { title: 'Refunds', body: 'Within 30 days.', collectionId: billing.id, tags: ['billing', 'refunds'] });
      await post('articles', { title: 'Changelog', body: 'What is new.', tags: ['billing'] });
    }, `/api/v1/workspaces/${workspaceId}/help`);
    await page.goto(ws('help'));
    await expect.poll(() => page.locator('main table tbody tr').count()).toBe(3);
    await page.getByRole('button', { name: /^Billing/ }).click();
    await expect
      .poll(() => page.locator('main table tbody tr th, main table tbody tr td:first-child').allTextContents())
      .toEqual([expect.stringContaining('Download invoices'), expect.stringContaining('Refunds')]);
    // A tag in the list filters it, within the collection picked; "Show every tag" lifts it.
    const firstCells = () => page.locator('main table tbody tr th, main table tbody tr td:first-child').allTextContents();
    await page.getByRole('button', { name: 'Show articles tagged billing' }).click();
    await expect.poll(firstCells).toEqual([expect.stringContaining('Refunds')]);
    expect(page.url()).toMatch(/tag=billing/);
    await page.getByRole('button', { name: 'All articles' }).click();
    await expect.poll(firstCells).toEqual([expect.stringContaining('Changelog'), expect.stringContaining('Refunds')]);
    await page.getByRole('button', { name: 'Show every tag' }).click();
    await expect.poll(() => page.locator('main table tbody tr').count()).toBe(3);
    for (const [path, name] of [
      ['help', 'help-center'],
      ['team', 'team'],
      ['api-keys', 'api-keys'],
      ['audit-log', 'audit-log'],
    ] as const) {
      await page.goto(ws(path));
      await expect.poll(() => page.getByRole('heading', { level: 1 }).count()).toBe(1);
      await checkPage(page, name);
    }
    await page.goto(`${lumio.url}/app/account`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await checkPage(page, 'account');
  }, 60_000);
});

/**
 * The customer's app on its own origin: its server signs the user id with the
 * widget's secret (as docs/signing.md shows), its page carries the snippet
 * copied from the dashboard, identifies, and tracks one event.
 */
async function startHostApp(current: () => { snippet: string; secret: string }) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://host');
    const user = USERS[url.searchParams.get('user') as keyof typeof USERS];
    if (!user) return res.writeHead(404).end();
    const { snippet, secret } = current();
    const signature = crypto.createHmac('sha256', secret).update(user.userId).digest('hex');
    const identify = JSON.stringify({ userId: user.userId, signature, name: user.name, properties: { plan: user.plan } });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><head>${snippet}</head><body>
<h1>Host app</h1>
<script>
LumioWidget('on', 'identify', function (e) { window.identified = e.state; });
LumioWidget('identify', ${identify});
LumioWidget('track', 'Report Exported', { format: 'csv' });
</script></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
