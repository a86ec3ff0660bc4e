// Analytics as a team reads it, in Chromium against a real `lumio start`: no
// empty Interval select on any tab; identify outcomes in one colour per
// meaning (verified green, unsigned amber, failed red) on the Analytics chart
// and the widget page's chart; a skeleton while a slow report loads; the
// breakdown list offering a property as soon as events carry it (no reload);
// and numbers in the browser's locale (de-DE groups thousands with dots).
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { screenshot, seriousAxeViolations } from './support/dashboard-checks.js';
import { signIn } from './support/dashboard-sign-in.js';
import { startLumio, type E2eServer } from './support/lumio-server.js';

const ORIGIN = 'http://host.example';
const GREEN = '#1a7f37';
const AMBER = '#b07800';
const RED = '#b42318';
const OPENED = 1234;

describe.runIf(browserTestsEnabled())('analytics polish in Chromium', () => {
  let lumio: E2eServer;
  let browser: Browser;
  let widget: { id: string; secret: string };
  const contexts: BrowserContext[] = [];

  const widgetCall = async (url: string, body: unknown, token?: string) => {
    const res = await fetch(`${lumio.url}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, any> };
  };
  const session = async () => (await widgetCall(`/widget/v1/${widget.id}/session`, { anonymousId: `anon_${crypto.randomUUID()}` })).body;
  const sign = (userId: string) => crypto.createHmac('sha256', widget.secret).update(userId).digest('hex');
  /** A verified identify with `properties`; answers the verified session's token. */
  const verified = async (userId: string, properties: Record<string, unknown> = {}) => {
    const { token } = await session();
    const res = await widgetCall(`/widget/v1/${widget.id}/identify`, { userId, signature: sign(userId), properties }, token);
    expect(res.body.state, JSON.stringify(res.body)).toBe('verified');
    return res.body.token as string;
  };
  const send = async (token: string, name: string, count: number) => {
    for (let sent = 0; sent < count; sent += 100) {
      const events = Array.from({ length: Math.min(100, count - sent) }, () => ({
        id: `e_${crypto.randomBytes(8).toString('hex')}`,
        name,
        at: Date.now(),
      }));
      const res = await widgetCall(`/widget/v1/${widget.id}/events`, { events }, token);
      expect(res.body.accepted, JSON.stringify(res.body)).toBe(events.length);
    }
  };

  /** A signed-in dashboard page in a context of its own (a locale, say). */
  const signedIn = async (options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> => {
    const context = await browser.newContext(options);
    contexts.push(context);
    const page = await context.newPage();
    await signIn(page, lumio.url);
    return page;
  };
  const ws = (to: string) => `${lumio.url}/app/w/${lumio.workspaceId}/${to}`;

  beforeAll(async () => {
    lumio = await startLumio();
    widget = await lumio.createWidget({ name: 'Polish', allowedOrigins: [ORIGIN] });
    // Identify outcomes: two verified, one unsigned, one failed (a wrong signature).
    const ada = await verified('ada', { plan: 'pro' });
    await verified('grace', { plan: 'free' });
    const unsigned = await widgetCall(`/widget/v1/${widget.id}/identify`, { userId: 'mallory' }, (await session()).token);
    expect(unsigned.body.state, JSON.stringify(unsigned.body)).toBe('identified');
    const failed = await widgetCall(
      `/widget/v1/${widget.id}/identify`,
      { userId: 'eve', signature: 'f'.repeat(64) },
      (await session()).token,
    );
    expect(failed.status, JSON.stringify(failed.body)).toBeGreaterThanOrEqual(400);
    await send(ada, '$widget_opened', OPENED);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await lumio?.stop();
  });

  it('offers the Interval select with options on each tab drawn over time, and no empty select on any tab', async () => {
    const page = await signedIn();
    await page.goto(ws('analytics'));
    const expected: Record<string, string[] | null> = {
      Events: ['Hour', 'Day', 'Week'],
      Announcements: null,
      'Help center': null,
      Audience: null,
      'Identity health': ['Hour', 'Day'],
    };
    for (const [tab, intervals] of Object.entries(expected)) {
      await page.getByRole('tab', { name: tab }).click();
      await expect.poll(() => page.getByRole('tab', { name: tab }).getAttribute('aria-selected')).toBe('true');
      const interval = page.getByLabel('Interval', { exact: true });
      if (intervals) expect(await interval.locator('option').allTextContents(), tab).toEqual(intervals);
      else expect(await interval.count(), tab).toBe(0);
      const empty = await page
        .locator('select')
        .evaluateAll((selects) => selects.filter((s) => (s as HTMLSelectElement).options.length === 0).map((s) => s.id));
      expect(empty, `empty selects on ${tab}`).toEqual([]);
    }
  }, 60_000);

  it('draws Verified green, Unsigned amber and Failed red on the Analytics chart and the widget page', async () => {
    // axe is injected as a script: the dashboard's CSP would refuse it.
    const page = await signedIn({ bypassCSP: true });
    await page.goto(ws('analytics?report=identity'));
    const canvas = page.locator('.analytics-chart canvas').first();
    await canvas.waitFor();
    await page.waitForTimeout(500);
    // The legend (top row of the canvas) in series order: Verified, Identified (unsigned), Failed, Verified rate.
    // Where each colour first appears from the left, in the legend's band.
    const firstX = await canvas.evaluate(
      (element, colours) => {
        const c = element as HTMLCanvasElement;
        const band = Math.round(30 * (c.width / c.clientWidth));
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, band).data;
        const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
        return colours.map((hex) => {
          const [r, g, b] = rgb(hex);
          let best = Infinity;
          for (let i = 0; i < data.length; i += 4) {
            const close = Math.abs(data[i]! - r!) <= 3 && Math.abs(data[i + 1]! - g!) <= 3 && Math.abs(data[i + 2]! - b!) <= 3;
            if (close) best = Math.min(best, (i / 4) % c.width);
          }
          return best;
        });
      },
      [GREEN, AMBER, RED],
    );
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'analytics-identity-health');
    const [green, amber, red] = firstX;
    expect(firstX.every(Number.isFinite), `legend colours found at ${firstX}`).toBe(true);
    expect(green!).toBeLessThan(amber!);
    expect(amber!).toBeLessThan(red!);
    // The figures beside it.
    await expect
      .poll(() => page.locator('.analytics-totals').textContent())
      .toMatch(/^\d+ identify calls: \d+\.\d% verified, \d+\.\d% unsigned, \d+\.\d% failed\.$/);

    // The widget page's chart: the same colours, read from the SVG.
    await page.goto(ws(`widgets/${widget.id}?tab=health`));
    const verifiedBar = page.locator('rect[data-outcome="verified"]').first();
    await verifiedBar.waitFor();
    const fills = await page.evaluate(() => ({
      verified: document.querySelector('rect[data-outcome="verified"]')?.getAttribute('fill'),
      unsigned: document.querySelector('rect[data-outcome="unsigned"]')?.getAttribute('fill'),
      failed: document.querySelector('rect[data-outcome="failed"]')?.getAttribute('fill'),
      hatch: document.querySelector('#identity-failed-hatch rect')?.getAttribute('fill'),
    }));
    expect(fills).toEqual({ verified: GREEN, unsigned: AMBER, failed: 'url(#identity-failed-hatch)', hatch: RED });
  }, 60_000);

  it('shows a busy skeleton of the report while a slow report loads, and the report in its place', async () => {
    const page = await signedIn();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/analytics/reports/series', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(ws('analytics'));
    const skeleton = page.getByTestId('report-skeleton');
    await skeleton.waitFor();
    expect(await skeleton.getAttribute('aria-busy')).toBe('true');
    expect(await page.locator('.report-state[aria-busy="true"]').count()).toBe(1);
    expect(await page.getByRole('status').filter({ hasText: 'Counting events…' }).count()).toBe(1);
    await screenshot(page, 'analytics-skeleton');
    const before = (await skeleton.boundingBox())!;
    release();
    const report = page.locator('.report-state > .stack');
    await report.waitFor();
    await expect.poll(() => skeleton.count()).toBe(0);
    await expect.poll(() => page.locator('.report-state').getAttribute('aria-busy')).toBe(null);
    const after = (await report.boundingBox())!;
    // No jump: the report takes the skeleton's place and (nearly) its height.
    expect(Math.abs(after.y - before.y)).toBeLessThanOrEqual(1);
    expect(Math.abs(after.height - before.height), `skeleton ${before.height} px, report ${after.height} px`).toBeLessThanOrEqual(24);
  }, 60_000);

  it('offers a property in the breakdown list as soon as events carry it, without a reload', async () => {
    const page = await signedIn();
    await page.goto(ws('analytics'));
    const breakdown = page.getByLabel('Break down by', { exact: true });
    const offered = () => breakdown.locator('option').allTextContents();
    await expect.poll(offered).toContain('plan (property)');
    expect(await offered()).not.toContain('team_size (property)');
    // A user with a new property sends an event: only that event's snapshot carries `team_size`.
    await send(await verified('lin', { team_size: 'large' }), 'Report Exported', 1);
    // The list asks again when opened (after a few seconds' freshness), as someone choosing from it does.
    await page.waitForTimeout(5_500);
    await breakdown.focus();
    await expect.poll(offered, { timeout: 10_000 }).toContain('team_size (property)');
    await breakdown.selectOption('team_size');
    expect(page.url()).toContain('breakdown=team_size');
  }, 60_000);

  it('writes numbers, shares and days in the browser locale (de-DE) and plurals by count', async () => {
    const page = await signedIn({ locale: 'de-DE', bypassCSP: true });
    await page.goto(ws('analytics'));
    await expect.poll(() => page.locator('.analytics-totals').textContent()).toBe(`1.234 events by 1 person in the range.`);
    // The header's days in German order (dd.mm.yyyy).
    expect(await page.locator('.page-header p').first().textContent()).toMatch(/^\d{2}\.\d{2}\.\d{4} – \d{2}\.\d{2}\.\d{4} \(UTC\)$/);
    await page.getByRole('tab', { name: 'Identity health' }).click();
    await expect
      .poll(() => page.locator('.analytics-totals').textContent())
      .toMatch(/^\d+ identify calls: \d+,\d\s%\sverified, \d+,\d\s%\sunsigned/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'analytics-identity-health-de');
  }, 60_000);
});
