// The dashboard on a phone (390 × 844) and on a desktop (1280 × 800), in
// Chromium against a real `lumio start` with a workspace full enough that
// every table has rows. For every page in PAGES:
// - the page itself never scrolls sideways
//   (document.scrollingElement.scrollWidth <= innerWidth);
// - every visible interactive element lies inside the viewport horizontally.
//   The one allowance: an element inside its own horizontal scroll box (an
//   ancestor with overflow-x auto or scroll, e.g. a wide table's .table-wrap)
//   may be scrolled out of view, as long as that scroll box itself lies inside
//   the viewport — the person can scroll the box to reach it. Visually hidden
//   elements (the 1 px .sr-only pattern, the skip link until it is focused)
//   are not controls on screen and are skipped;
// - axe finds no serious or critical violation;
// - a screenshot is saved as e2e/output/dashboard/phone-<page>.png or wide-<page>.png.
// On the phone the workspace navigation sits behind a menu button (opens,
// closes by Escape or by following a link), and a dialog fits the screen.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { signUserId } from '@lumio/node';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { screenshot, seriousAxeViolations } from './support/dashboard-checks.js';
import { startLumio, type E2eServer } from './support/lumio-server.js';
import { storeCompanies } from './support/stored-companies.js';
import { request } from '../packages/server/src/test-support/server-process.js';
import { recordE2eWebhookEvent } from './support/webhook-delivery.js';

const OWNER = { email: 'owner@example.com', password: 'correct horse battery staple' };
const WIDTHS = [
  { name: 'phone', viewport: { width: 390, height: 844 } },
  { name: 'wide', viewport: { width: 1280, height: 800 } },
] as const;

/** What the seeding made, for building the pages' addresses. */
interface Seeded {
  workspaceId: string;
  widgetId: string;
  announcementId: string;
  segmentId: string;
  articleId: string;
  inviteUrl: string;
  endpointId: string;
}

/**
 * One row per page checked. `path` is under /app; `ready` is text the page
 * shows once its data is in (so the check sees the loaded page, not a
 * spinner). Add new pages here.
 */
const PAGES: Array<{ name: string; path: (s: Seeded) => string; ready: string | RegExp; signedOut?: true }> = [
  { name: 'sign-in', path: () => '/sign-in', ready: 'Sign in', signedOut: true },
  { name: 'setup', path: () => '/setup#token=lsu_already_used', ready: /set up|already/i, signedOut: true },
  {
    name: 'invite',
    path: (s) => new URL(s.inviteUrl).pathname.replace(/^\/app/, '') + new URL(s.inviteUrl).hash,
    ready: /invite/i,
    signedOut: true,
  },
  { name: 'reset-password', path: () => '/reset-password#token=lpr_not_a_real_token', ready: /password/i, signedOut: true },
  { name: 'forgot-password', path: () => '/forgot-password', ready: /email/i, signedOut: true },
  { name: 'widgets', path: (s) => `/w/${s.workspaceId}/widgets`, ready: 'Web app with a rather long widget name' },
  { name: 'widget-install', path: (s) => `/w/${s.workspaceId}/widgets/${s.widgetId}?tab=install`, ready: /sdk\/v1/ },
  { name: 'widget-signing', path: (s) => `/w/${s.workspaceId}/widgets/${s.widgetId}?tab=signing`, ready: /signUserId|sign/i },
  { name: 'widget-settings', path: (s) => `/w/${s.workspaceId}/widgets/${s.widgetId}?tab=settings`, ready: /origins/i },
  { name: 'widget-secrets', path: (s) => `/w/${s.workspaceId}/widgets/${s.widgetId}?tab=secrets`, ready: /Rotate secret/ },
  { name: 'widget-health', path: (s) => `/w/${s.workspaceId}/widgets/${s.widgetId}?tab=health`, ready: /verified/i },
  { name: 'users', path: (s) => `/w/${s.workspaceId}/users`, ready: 'u_phone_ada' },
  { name: 'user', path: (s) => `/w/${s.workspaceId}/users/u_phone_ada`, ready: 'report_exported_to_spreadsheet' },
  { name: 'companies', path: (s) => `/w/${s.workspaceId}/companies`, ready: 'Analytical Engines and Difference Machines Ltd' },
  { name: 'company', path: (s) => `/w/${s.workspaceId}/companies/c_phone_analytical_engines`, ready: 'report_exported_to_spreadsheet' },
  { name: 'announcements', path: (s) => `/w/${s.workspaceId}/announcements`, ready: 'Quarterly billing reports now include tax' },
  { name: 'announcement-editor', path: (s) => `/w/${s.workspaceId}/announcements/${s.announcementId}`, ready: /Delete/ },
  { name: 'announcement-new', path: (s) => `/w/${s.workspaceId}/announcements/new`, ready: /Title/ },
  { name: 'segments', path: (s) => `/w/${s.workspaceId}/segments`, ready: 'Pro customers with many seats' },
  { name: 'segment-editor', path: (s) => `/w/${s.workspaceId}/segments/${s.segmentId}`, ready: /Delete/ },
  { name: 'help-center', path: (s) => `/w/${s.workspaceId}/help`, ready: 'Download receipts as a spreadsheet' },
  { name: 'article-editor', path: (s) => `/w/${s.workspaceId}/help/articles/${s.articleId}`, ready: /Preview|Delete/ },
  { name: 'analytics-events', path: (s) => `/w/${s.workspaceId}/analytics`, ready: /Download CSV/ },
  { name: 'analytics-announcements', path: (s) => `/w/${s.workspaceId}/analytics?report=announcements`, ready: /Download CSV/ },
  { name: 'analytics-help', path: (s) => `/w/${s.workspaceId}/analytics?report=help`, ready: /Download CSV/ },
  { name: 'analytics-audience', path: (s) => `/w/${s.workspaceId}/analytics?report=audience`, ready: /Download CSV/ },
  { name: 'analytics-identity', path: (s) => `/w/${s.workspaceId}/analytics?report=identity`, ready: /Download CSV/ },
  { name: 'audit-log', path: (s) => `/w/${s.workspaceId}/audit-log`, ready: 'Created an announcement' },
  { name: 'team', path: (s) => `/w/${s.workspaceId}/team`, ready: OWNER.email },
  { name: 'api-keys', path: (s) => `/w/${s.workspaceId}/api-keys`, ready: 'Billing export job' },
  { name: 'webhooks', path: (s) => `/w/${s.workspaceId}/webhooks`, ready: 'CRM sync for the billing and invoicing team' },
  { name: 'webhook-endpoint', path: (s) => `/w/${s.workspaceId}/webhooks/${s.endpointId}`, ready: /HTTP 500/ },
  { name: 'workspace-settings', path: (s) => `/w/${s.workspaceId}/settings`, ready: /half-life/i },
  { name: 'account', path: () => '/account', ready: /password/i },
  { name: 'instance-email', path: () => '/instance/email', ready: /SMTP/ },
  { name: 'new-workspace', path: () => '/workspaces/new', ready: /workspace/i },
];

/** A control on screen that is not where the person can reach it. */
interface Offender {
  what: string;
  left: number;
  right: number;
}

/**
 * The page's horizontal overflow and its out-of-view controls, measured in the
 * browser (see the rule at the top of this file).
 */
async function measureWidth(page: Page): Promise<{ scrollWidth: number; innerWidth: number; offenders: Offender[] }> {
  return page.evaluate(() => {
    const viewport = document.documentElement.clientWidth;
    const inside = (r: DOMRect) => r.left >= -1 && r.right <= viewport + 1;
    /** The nearest ancestor that scrolls sideways by itself (not the page). */
    const scrollBoxOf = (el: Element): Element | null => {
      for (let p = el.parentElement; p && p !== document.body && p !== document.documentElement; p = p.parentElement) {
        const overflowX = getComputedStyle(p).overflowX;
        if (overflowX === 'auto' || overflowX === 'scroll') return p;
      }
      return null;
    };
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`;
    // [tabindex="-1"] alone marks a programmatic focus target (the main element), not a control.
    const selector =
      'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"]), [role=button], [role=link], [role=tab], [role=switch], [role=checkbox], [role=combobox]';
    const offenders: Array<{ what: string; left: number; right: number }> = [];
    for (const el of document.querySelectorAll(selector)) {
      // Not on screen at all: display none, visibility hidden, or transparent (Radix's aria-hidden form inputs).
      if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      const rect = el.getBoundingClientRect();
      // Visually hidden on purpose: the 1 px .sr-only pattern, the skip link until focused.
      if (rect.width <= 1 || rect.height <= 1) continue;
      if (el.classList.contains('skip-link') && document.activeElement !== el) continue;
      if (inside(rect)) continue;
      const box = scrollBoxOf(el);
      if (box && inside(box.getBoundingClientRect())) continue;
      offenders.push({ what: describe(el), left: Math.round(rect.left), right: Math.round(rect.right) });
    }
    return { scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth, offenders };
  });
}

describe.runIf(browserTestsEnabled())('the dashboard at phone and desktop widths', () => {
  let lumio: E2eServer;
  let browser: Browser;
  let seeded: Seeded;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    lumio = await startLumio();
    seeded = await seed(lumio);
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await lumio?.stop();
  });

  const open = async (viewport: { width: number; height: number }, signedIn: boolean) => {
    // bypassCSP: only so axe can be injected.
    const context = await browser.newContext({ viewport, bypassCSP: true });
    contexts.push(context);
    const page = await context.newPage();
    if (signedIn) {
      await page.goto(`${lumio.url}/app/sign-in`);
      await page.getByLabel('Email').fill(OWNER.email);
      await page.getByLabel('Password').fill(OWNER.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/app\/w\//);
    }
    return page;
  };

  for (const width of WIDTHS) {
    describe(`at ${width.viewport.width} × ${width.viewport.height}`, () => {
      const pages: { owner?: Page; visitor?: Page } = {};
      const pageFor = async (signedOut: boolean) => {
        const key = signedOut ? 'visitor' : 'owner';
        return (pages[key] ??= await open(width.viewport, !signedOut));
      };

      for (const entry of PAGES) {
        it(`${entry.name}: fits the width, every control on screen, no serious axe violation`, async () => {
          const page = await pageFor(entry.signedOut === true);
          // A fresh load each time, so a hash-read token or a page's local state never leaks into the next.
          await page.goto('about:blank');
          await page.goto(`${lumio.url}/app${entry.path(seeded)}`);
          await expect.poll(() => page.locator('body').textContent(), { timeout: 15_000, message: entry.name }).toMatch(entry.ready);
          await page.waitForLoadState('networkidle');
          await screenshot(page, `${width.name}-${entry.name}`);
          const measured = await measureWidth(page);
          expect(measured.scrollWidth, `${entry.name}: the page scrolls sideways`).toBeLessThanOrEqual(measured.innerWidth);
          expect(measured.offenders, `${entry.name}: controls out of view`).toEqual([]);
          expect(await seriousAxeViolations(page), `axe on ${entry.name}`).toEqual([]);
        }, 45_000);
      }

      it('shows a dialog that fits the screen (create widget)', async () => {
        const page = await pageFor(false);
        await page.goto(`${lumio.url}/app/w/${seeded.workspaceId}/widgets`);
        await page.getByRole('button', { name: 'Create widget' }).click();
        const dialog = page.getByRole('dialog', { name: 'Create widget' });
        await expect.poll(() => dialog.isVisible()).toBe(true);
        const box = (await dialog.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(width.viewport.width);
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.y + box.height).toBeLessThanOrEqual(width.viewport.height);
        expect((await measureWidth(page)).offenders).toEqual([]);
        await screenshot(page, `${width.name}-dialog-create-widget`);
        expect(await seriousAxeViolations(page)).toEqual([]);
        await page.keyboard.press('Escape');
      });

      it('shows the delete confirmation of an announcement on screen', async () => {
        const page = await pageFor(false);
        await page.goto(`${lumio.url}/app/w/${seeded.workspaceId}/announcements/${seeded.announcementId}`);
        await page.getByRole('button', { name: 'Delete', exact: true }).click();
        const dialog = page.getByRole('alertdialog').or(page.getByRole('dialog'));
        await expect.poll(() => dialog.isVisible()).toBe(true);
        const box = (await dialog.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(width.viewport.width);
        expect(box.y + box.height).toBeLessThanOrEqual(width.viewport.height);
        expect((await measureWidth(page)).offenders).toEqual([]);
        await screenshot(page, `${width.name}-dialog-delete-announcement`);
        await page.keyboard.press('Escape');
      });
    });
  }

  it('puts the navigation behind a menu button on a phone: it opens, Escape closes it, a link closes it', async () => {
    const page = await open({ width: 390, height: 844 }, true);
    await page.goto(`${lumio.url}/app/w/${seeded.workspaceId}/widgets`);
    const menu = page.getByRole('button', { name: 'Menu' });
    const nav = page.getByRole('navigation', { name: 'Workspace' });
    await expect.poll(() => menu.isVisible()).toBe(true);
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    // The content starts near the top, not after ~550 px of sidebar.
    expect((await page.getByRole('heading', { level: 1 }).boundingBox())!.y).toBeLessThan(200);
    expect(await nav.getByRole('link', { name: 'Users' }).isVisible()).toBe(false);
    const controls = await menu.getAttribute('aria-controls');
    expect(controls).toBeTruthy();
    expect(await page.locator(`[id="${controls}"]`).count()).toBe(1);

    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => nav.getByRole('link', { name: 'Users' }).isVisible()).toBe(true);
    // The focus stays on the button (a disclosure); the next Tab goes into the opened menu.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Menu');
    await page.keyboard.press('Tab');
    expect(await page.evaluate((id) => document.getElementById(id!)?.contains(document.activeElement), controls)).toBe(true);
    const measured = await measureWidth(page);
    expect(measured.offenders).toEqual([]);
    await screenshot(page, 'phone-menu-open');
    expect(await seriousAxeViolations(page)).toEqual([]);

    await page.keyboard.press('Escape');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await nav.getByRole('link', { name: 'Users' }).isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Menu');

    await menu.click();
    await nav.getByRole('link', { name: 'Users' }).click();
    await page.waitForURL(/\/users$/);
    await expect.poll(() => menu.getAttribute('aria-expanded')).toBe('false');
    expect(await nav.getByRole('link', { name: 'Users' }).isVisible()).toBe(false);
  });

  it('scrolls a table wider than the phone in its own frame, a named region the keyboard can scroll; no extra stop when it fits', async () => {
    const phone = await open({ width: 390, height: 844 }, true);
    await phone.goto(`${lumio.url}/app/w/${seeded.workspaceId}/audit-log`);
    const frame = phone.locator('.table-wrap').first();
    await expect.poll(() => frame.getAttribute('tabindex')).toBe('0');
    expect(await frame.getAttribute('role')).toBe('region');
    expect(await frame.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    // Named (a region needs a name): by the table's caption, else its label.
    const name = await frame.evaluate(
      (el) => el.getAttribute('aria-label') ?? document.getElementById(el.getAttribute('aria-labelledby') ?? '')?.textContent ?? '',
    );
    expect(name.trim()).not.toBe('');
    await frame.focus();
    await phone.keyboard.press('ArrowRight');
    await expect.poll(() => frame.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);

    const wide = await open({ width: 1280, height: 800 }, true);
    await wide.goto(`${lumio.url}/app/w/${seeded.workspaceId}/audit-log`);
    const wideFrame = wide.locator('.table-wrap').first();
    await expect.poll(() => wideFrame.count()).toBe(1);
    expect(await wideFrame.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(false);
    expect(await wideFrame.getAttribute('tabindex')).toBeNull();
    expect(await wideFrame.getAttribute('role')).toBeNull();
  });

  it('keeps the sidebar on a desktop, with no menu button', async () => {
    const page = await open({ width: 1280, height: 800 }, true);
    await page.goto(`${lumio.url}/app/w/${seeded.workspaceId}/widgets`);
    const nav = page.getByRole('navigation', { name: 'Workspace' });
    await expect.poll(() => nav.getByRole('link', { name: 'Users' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Menu' }).isVisible()).toBe(false);
    // The sidebar's column stays 232 px wide, beside the content.
    const sidebar = (await page.locator('.sidebar').boundingBox())!;
    expect(Math.round(sidebar.width)).toBe(232);
    expect(Math.round(sidebar.height)).toBeGreaterThanOrEqual(800);
  });
});

/**
 * Fills a workspace so every list has rows, with some long values (names,
 * event properties) that would push a careless layout wider than a phone.
 */
async function seed(lumio: E2eServer): Promise<Seeded> {
  const ws = `/api/v1/workspaces/${lumio.workspaceId}`;
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await lumio.api(method, path, body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const widget = await lumio.createWidget({ name: 'Web app with a rather long widget name', allowedOrigins: ['https://app.example.com'] });
  const apiKey = (await ok('POST', `${ws}/api-keys`, { name: 'Billing export job' })).key as string;
  await ok('POST', `${ws}/api-keys`, { name: 'Nightly CRM sync' });
  const people = [
    { id: 'u_phone_ada', name: 'Ada Lovelace', email: 'ada.lovelace@analytical-engines.example.com', plan: 'pro', seats: 12 },
    { id: 'u_phone_grace', name: 'Grace Hopper', email: 'grace@example.com', plan: 'free', seats: 1 },
    { id: 'u_phone_alan', name: 'Alan Turing', email: 'alan@example.com', plan: 'enterprise', seats: 250 },
  ];
  for (const person of people) {
    const put = await request(`${lumio.url}/server/v1/users/${person.id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${apiKey}` },
      body: {
        name: person.name,
        email: person.email,
        properties: { plan: person.plan, seats: person.seats, company: 'Analytical Engines Ltd' },
      },
    });
    if (put.status !== 200) throw new Error(`user ${person.id}: ${JSON.stringify(put.body)}`);
  }
  // Verified events with long properties, so the user page and analytics have rows.
  for (const person of people.slice(0, 2)) {
    const session = await request(`${lumio.url}/widget/v1/${widget.id}/session`, {
      method: 'POST',
      body: { anonymousId: `anon_${crypto.randomBytes(8).toString('hex')}` },
    });
    const identified = await request(`${lumio.url}/widget/v1/${widget.id}/identify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.body.token}` },
      body: { userId: person.id, signature: signUserId(person.id, widget.secret) },
    });
    if (identified.body.state !== 'verified') throw new Error(`identify: ${JSON.stringify(identified.body)}`);
    const events = await request(`${lumio.url}/widget/v1/${widget.id}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${identified.body.token}` },
      body: {
        events: ['report_exported_to_spreadsheet', 'dashboard_viewed', 'invoice_downloaded'].map((name, i) => ({
          id: `evt_phone_${crypto.randomBytes(6).toString('hex')}`,
          name,
          at: Date.now() - i * 60_000,
          props: { format: 'xlsx', path: '/reports/quarterly/2026-q4/billing-and-tax-summary-for-every-region', rows: 1234 },
        })),
      },
    });
    if (events.body.accepted !== 3) throw new Error(`events: ${JSON.stringify(events.body)}`);
  }
  // Companies with long values, written straight into the server's SQLite file (e2e/support/stored-companies.ts).
  storeCompanies(lumio.dataDir, lumio.workspaceId, [
    {
      id: 'c_phone_analytical_engines',
      name: 'Analytical Engines and Difference Machines Ltd',
      properties: { plan: 'enterprise', seats: 250, billing_contact_address: 'accounts-payable@analytical-engines.example.com' },
      people: people.map((p) => [p.id, 'trusted'] as [string, 'trusted']),
    },
    { id: 'c_phone_navy', name: 'Navy', properties: { plan: 'free' }, people: [['u_phone_grace', 'claimed']] },
  ]);
  const announcement = await ok('POST', `${ws}/announcements`, {
    kind: 'popup',
    title: 'Quarterly billing reports now include tax',
    body: 'Download every receipt as a spreadsheet from the **Billing** page.',
    cta: { label: 'Open billing', url: 'https://example.com/billing' },
    audience: { condition: { plan: 'pro', seats: { $gte: 5 } }, visibility: 'verified' },
    frequency: 'until_dismissed',
    priority: 10,
    status: 'live',
  });
  await ok('POST', `${ws}/announcements`, {
    kind: 'banner',
    title: 'Scheduled maintenance on Sunday',
    body: 'A short pause.',
    status: 'draft',
  });
  const segment = await ok('POST', `${ws}/segments`, {
    name: 'Pro customers with many seats',
    condition: { plan: 'pro', seats: { $gte: 5 } },
  });
  const collection = await ok('POST', `${ws}/help/collections`, { name: 'Billing and invoices' });
  const article = await ok('POST', `${ws}/help/articles`, {
    title: 'Download receipts as a spreadsheet',
    body: 'Open **Billing**, then *Receipts*.\n\n| Column | Meaning |\n| --- | --- |\n| amount_including_tax_in_local_currency | The total |',
    tags: ['Billing', 'Tax reports'],
    collectionId: collection.id,
    status: 'published',
  });
  await ok('POST', `${ws}/help/articles`, { title: 'Change your plan', body: 'Upgrade or downgrade at any time.', status: 'draft' });
  const invite = await ok('POST', `${ws}/invites`, { role: 'member' });
  const endpoint = await ok('POST', `${ws}/webhooks`, {
    url: 'https://hooks.analytical-engines.example.com/integrations/lumio/webhooks/receiver-for-the-billing-team',
    description: 'CRM sync for the billing and invoicing team',
    events: ['user.created', 'user.updated', 'company.updated'],
  });
  // A failed delivery (and its long error) in the log, so its table has rows at both widths.
  await recordE2eWebhookEvent(lumio.dataDir, lumio.workspaceId, 'user.created', { user: { id: 'u_phone_ada' } }, { failed: true });
  return {
    endpointId: endpoint.id,
    workspaceId: lumio.workspaceId,
    widgetId: widget.id,
    announcementId: announcement.id,
    segmentId: segment.id,
    articleId: article.id,
    inviteUrl: invite.url,
  };
}
