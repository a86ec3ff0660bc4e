// The widget on a host page as a phone and a desktop show it, in Chromium: a
// banner that pushes the page down (its header stays visible, normal-flow and
// position:fixed alike) or overlays it, the panel full-screen at 390 px and
// floating at 1280 px, and the launcher named after what Lumio shows.
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnouncementsAnswer, DeliveredAnnouncement } from '@lumio/protocol/browser';
import type { LumioFixture } from '../packages/widget/src/test-support/fixture-entry.js';
import { announcement, sampleAnswer } from '../packages/widget/src/test-support/fixtures.js';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { startFixtureServer, type FixtureServer } from './support/fixture-server.js';

const OUTPUT = new URL('./output/', import.meta.url);

const hostPage = (css: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<title>Host</title><style>body{margin:0;font:16px serif} header{height:64px;background:#1f2937;color:#fff} ${css}</style></head>
<body>${body}<script src="/fixture.js"></script></body></html>`;

// A header in normal flow, under the page's own padding on <html> (kept under the banner's room, and restored).
const FLOW_PAGE = hostPage(
  'html{padding-top:6px}',
  '<header id="site-header">Host header</header><main style="height:2400px">Host content</main><footer id="site-footer">Host footer</footer>',
);
// A position:fixed header offset by the documented variable (docs/widget.md).
const FIXED_PAGE = hostPage(
  'header{position:fixed;top:var(--lumio-banner-top,0px);left:0;right:0;z-index:10} body{padding-top:64px}',
  '<header id="site-header">Fixed header</header><main style="height:2400px">Host content</main>',
);
const LONG_PAGE = hostPage('', '<button id="host-button">Host button</button><main style="height:3000px">Long host page</main>');

declare const lumioFixture: LumioFixture;

const LONG_TEXT =
  'We are moving to a new data centre this weekend: expect a few minutes of read-only mode on Sunday between 02:00 and 03:00 UTC.';
const banner = (fields: Partial<DeliveredAnnouncement>): AnnouncementsAnswer =>
  sampleAnswer({
    announcements: [announcement({ id: 'ann_banner', kind: 'banner', title: 'Maintenance', html: `<p>${LONG_TEXT}</p>`, ...fields })],
  });

describe.runIf(browserTestsEnabled())('the widget on phones and host pages, in Chromium', () => {
  let browser: Browser;
  let server: FixtureServer;

  beforeAll(async () => {
    server = await startFixtureServer({ '/': LONG_PAGE, '/flow': FLOW_PAGE, '/fixed': FIXED_PAGE });
    browser = await launchChromium();
    fs.mkdirSync(OUTPUT, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const load = async (path: string, viewport = { width: 1280, height: 800 }) => {
    const p = await browser.newPage({ viewport });
    await p.goto(`${server.origin}${path}`);
    await p.waitForFunction(() => 'lumioFixture' in window);
    return p;
  };
  const mount = async (p: Page, answer: AnnouncementsAnswer) => {
    await p.evaluate((a) => lumioFixture.mount(a), answer);
    const region = p.getByRole('region', { name: 'Maintenance' });
    if (answer.announcements.some((a) => a.kind === 'banner')) {
      await expect.poll(() => region.isVisible()).toBe(true);
      await region.evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished)));
    }
    return region;
  };
  const box = async (p: Page, selector: string) => (await p.locator(selector).boundingBox())!;
  // What the user sees at points of the header (its centre and just inside its corners): the header itself, or what covers it.
  const headerHits = (p: Page) =>
    p.evaluate(() => {
      const header = document.getElementById('site-header')!;
      const r = header.getBoundingClientRect();
      const points: Array<[number, number]> = [
        [r.left + r.width / 2, r.top + r.height / 2],
        [r.left + 2, r.top + 2],
        [r.right - 2, r.top + 2],
        [r.left + 2, r.bottom - 2],
      ];
      return points.map(([x, y]) => {
        const hit = document.elementFromPoint(x, y);
        return hit === header || header.contains(hit) ? 'header' : (hit?.id ?? hit?.tagName ?? 'nothing');
      });
    });
  const rootStyle = (p: Page) =>
    p.evaluate(() => ({
      style: document.documentElement.getAttribute('style'),
      top: getComputedStyle(document.documentElement).getPropertyValue('--lumio-banner-top'),
    }));

  it('pushes a normal-flow header below a push banner, follows the banner’s height, and gives the page back on dismiss', async () => {
    const p = await load('/flow');
    const before = await box(p, '#site-header');
    expect(before.y).toBe(6);
    const region = await mount(p, banner({ bannerPlacement: 'push' }));
    const strip = (await region.boundingBox())!;
    expect(strip.y).toBe(0);
    const header = await box(p, '#site-header');
    // Below the banner, by exactly its height (the page's own 6 px kept).
    expect(header.y).toBeCloseTo(6 + strip.height, 0);
    expect(header.y).toBeGreaterThanOrEqual(strip.y + strip.height);
    expect(await headerHits(p)).toEqual(['header', 'header', 'header', 'header']);
    expect((await rootStyle(p)).top).toBe(`${Math.ceil(strip.height)}px`);
    await p.screenshot({ path: new URL('widget-banner-push.png', OUTPUT).pathname });

    // Narrower: the banner's text wraps, the banner grows, the page follows it.
    await p.setViewportSize({ width: 390, height: 844 });
    await expect.poll(async () => (await region.boundingBox())!.height).toBeGreaterThan(strip.height);
    await expect.poll(async () => (await box(p, '#site-header')).y - (await region.boundingBox())!.height).toBeCloseTo(6, 0);
    expect(await headerHits(p)).toEqual(['header', 'header', 'header', 'header']);
    await p.screenshot({ path: new URL('widget-banner-push-390.png', OUTPUT).pathname });

    await region.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => region.count()).toBe(0);
    expect((await box(p, '#site-header')).y).toBe(6);
    expect(await rootStyle(p)).toEqual({ style: null, top: '' });
    await p.close();
  });

  it('keeps a position:fixed header that uses --lumio-banner-top visible below a push banner', async () => {
    const p = await load('/fixed');
    expect((await box(p, '#site-header')).y).toBe(0);
    const region = await mount(p, banner({ bannerPlacement: 'push' }));
    const strip = (await region.boundingBox())!;
    expect((await box(p, '#site-header')).y).toBeCloseTo(strip.height, 0);
    expect(await headerHits(p)).toEqual(['header', 'header', 'header', 'header']);
    // Scrolled, too: the fixed header stays under the banner, not beneath it.
    await p.evaluate(() => window.scrollTo(0, 500));
    expect(await headerHits(p)).toEqual(['header', 'header', 'header', 'header']);
    await region.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => region.count()).toBe(0);
    expect((await box(p, '#site-header')).y).toBe(0);
    expect(await rootStyle(p)).toEqual({ style: null, top: '' });
    await p.close();
  });

  it('still overlays the page with an overlay banner (the default): the header stays where it was, under the banner', async () => {
    const p = await load('/flow');
    const region = await mount(p, banner({ bannerPlacement: 'overlay' }));
    expect((await box(p, '#site-header')).y).toBe(6);
    expect(await headerHits(p)).toContain('lumio-widget-root');
    expect(await rootStyle(p)).toEqual({ style: null, top: '' });
    await region.getByRole('button', { name: 'Dismiss' }).click();
    await p.close();
  });

  it('makes room at the end of the page for a push banner at the bottom', async () => {
    const p = await load('/flow');
    const region = await mount(p, banner({ bannerPlacement: 'push', bannerPosition: 'bottom' }));
    await p.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const strip = (await region.boundingBox())!;
    const footer = await box(p, '#site-footer');
    expect(footer.y + footer.height).toBeLessThanOrEqual(strip.y + 0.5);
    expect(await p.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--lumio-banner-bottom'))).toBe(
      `${Math.ceil(strip.height)}px`,
    );
    await region.getByRole('button', { name: 'Dismiss' }).click();

    await expect.poll(() => p.evaluate(() => document.documentElement.getAttribute('style'))).toBeNull();
    await p.close();
  });

  it('opens the panel full-screen at 390 × 844, modal, closed by its close button without moving the host page', async () => {
    const p = await load('/', { width: 390, height: 844 });
    await p.evaluate(() => window.scrollTo(0, 600));
    await mount(p, sampleAnswer({ announcements: sampleAnswer().announcements.filter((a) => a.kind === 'post') }));
    const launcher = p.getByRole('button', { name: 'News and help', exact: true });
    await launcher.click();
    const panel = p.getByRole('dialog', { name: 'What’s new' });
    await expect.poll(() => panel.isVisible()).toBe(true);
    await panel.evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished)));
    expect(await panel.boundingBox()).toEqual({ x: 0, y: 0, width: 390, height: 844 });
    expect(await panel.getAttribute('aria-modal')).toBe('true');
    await p.screenshot({ path: new URL('widget-panel-390.png', OUTPUT).pathname });

    // Tab stays inside the full-screen panel: the page behind it cannot be seen.
    for (let i = 0; i < 8; i++) {
      await p.keyboard.press('Tab');
      expect(await p.evaluate(() => document.activeElement?.id)).toBe('lumio-widget-root');
    }
    const close = panel.getByRole('button', { name: 'Close news and help' });
    const closeBox = (await close.boundingBox())!;
    expect(closeBox.x + closeBox.width).toBeLessThanOrEqual(390);
    expect(closeBox.width).toBeGreaterThanOrEqual(44);
    await close.click();
    await expect.poll(() => panel.count()).toBe(0);
    expect(await launcher.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    expect(
      await p.evaluate(() => [window.scrollY, document.body.getAttribute('style'), document.documentElement.getAttribute('style')]),
    ).toEqual([600, null, null]);
    await p.close();
  });

  it('keeps the floating panel at 1280 px, non-modal', async () => {
    const p = await load('/', { width: 1280, height: 800 });
    await mount(p, sampleAnswer({ announcements: [] }));
    await p.getByRole('button', { name: 'News and help', exact: true }).click();
    const panel = p.getByRole('dialog', { name: 'Help' });
    await expect.poll(() => panel.isVisible()).toBe(true);
    await panel.evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished)));
    expect(await panel.boundingBox()).toEqual({ x: 1280 - 20 - 360, y: 800 - 88 - 520, width: 360, height: 520 });
    expect(await panel.getAttribute('aria-modal')).toBeNull();
    await p.close();
  });

  it('fits a popup inside a phone’s screen', async () => {
    const p = await load('/', { width: 390, height: 844 });
    const long = `<p>${LONG_TEXT.repeat(12)}</p>`;
    await mount(p, sampleAnswer({ announcements: [announcement({ id: 'ann_popup', kind: 'popup', title: 'Big news', html: long })] }));
    const popup = p.getByRole('dialog', { name: 'Big news' });
    await expect.poll(() => popup.isVisible()).toBe(true);
    await popup.evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished)));
    const r = (await popup.boundingBox())!;
    expect(r.x).toBeGreaterThanOrEqual(0);
    expect(r.y).toBeGreaterThanOrEqual(0);
    expect(r.x + r.width).toBeLessThanOrEqual(390);
    expect(r.y + r.height).toBeLessThanOrEqual(844);
    // Its close button is on screen too.
    const close = (await popup.getByRole('button', { name: 'Close' }).boundingBox())!;
    expect(close.y).toBeGreaterThanOrEqual(0);
    expect(close.x + close.width).toBeLessThanOrEqual(390);
    await p.screenshot({ path: new URL('widget-popup-390.png', OUTPUT).pathname });
    await p.close();
  });

  it('names the launcher after news and help, and the empty feed says what will appear there', async () => {
    const p = await load('/');
    await mount(p, sampleAnswer({ announcements: [] }));
    const launcher = p.getByRole('button', { name: 'News and help', exact: true });
    expect(await launcher.count()).toBe(1);
    expect(await p.getByRole('button', { name: /message/i }).count()).toBe(0);
    await launcher.click();
    const panel = p.getByRole('dialog', { name: 'Help' });
    await panel.getByRole('tab', { name: 'What’s new' }).click();
    const feed = p.getByRole('dialog', { name: 'What’s new' });
    expect(await feed.getByText('No news yet. Product updates will show up here.').isVisible()).toBe(true);
    expect(await p.evaluate(() => document.getElementById('lumio-widget-root')!.shadowRoot!.textContent)).not.toMatch(/message/i);
    await p.close();
  });
});
