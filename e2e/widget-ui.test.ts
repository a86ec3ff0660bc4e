// The widget UI in Chromium, component by component: the real Preact UI and
// store, fed fixture answers through the AnnouncementsApi that the SDK engine
// implements in widget.js, on a page served by a tiny node:http server. The
// screenshots are CI's picture of the popup and the banner.
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnouncementsAnswer } from '@lumio/protocol/browser';
import type { LumioFixture } from '../packages/widget/src/test-support/fixture-entry.js';
import { announcement, sampleAnswer } from '../packages/widget/src/test-support/fixtures.js';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { startFixtureServer, type FixtureServer } from './support/fixture-server.js';

const OUTPUT = new URL('./output/', import.meta.url);

// Host-page markup with the widget's own class names, to show its CSS does not reach them.
const HOST_MARKUP = `<main>
  <h2 class="popup">Host heading</h2>
  <p class="html">Host text with <a href="#x" class="cta">a host link</a>.</p>
  <button id="host-button" class="close launcher">Host button</button>
  <section class="banner root"><span class="badge">host badge</span></section>
</main>`;

// A page that tries every way to restyle what it does not own.
const HOSTILE_CSS = `
:root { --lumio-brand: lime; --lumio-on-brand: lime; --lumio-ink: lime; --lumio-link: lime; --lumio-focus: lime }
* { color: red !important; font: italic 40px/3 "Comic Sans MS", cursive !important; letter-spacing: 4px !important;
    text-align: right !important; text-transform: uppercase !important; box-sizing: content-box !important }
div { display: none !important; opacity: .2 !important; transform: rotate(5deg) !important }
button, a { background: lime !important; border: 6px dashed red !important; padding: 30px !important; border-radius: 0 !important;
    width: 300px !important; position: static !important }
#lumio-widget-root, body > div { display: block !important; position: absolute !important; filter: blur(4px) !important;
    z-index: -1 !important; pointer-events: none !important }
section, h2, p { display: none !important; margin: 50px !important }
`;

const page = (css: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Host</title><style>${css}</style></head>
<body>${HOST_MARKUP}<script src="/fixture.js"></script></body></html>`;

declare const lumioFixture: LumioFixture;
type FixtureWindow = Window & { lumioFixture: LumioFixture };

describe.runIf(browserTestsEnabled())('widget UI in Chromium', () => {
  let browser: Browser;
  let server: FixtureServer;
  let origin: string;

  beforeAll(async () => {
    server = await startFixtureServer({ '/': page('body { font-family: serif; margin: 24px }'), '/hostile': page(HOSTILE_CSS) });
    origin = server.origin;
    browser = await launchChromium();
    fs.mkdirSync(OUTPUT, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const open = async (path = '/', answer: AnnouncementsAnswer = sampleAnswer(), options: { reducedMotion?: 'reduce' } = {}) => {
    const p = await browser.newPage();
    if (options.reducedMotion) await p.emulateMedia({ reducedMotion: options.reducedMotion });
    await p.goto(`${origin}${path}`);
    await p.waitForFunction(() => 'lumioFixture' in window);
    await p.focus('#host-button');
    await p.evaluate((a) => lumioFixture.mount(a), answer);
    return p;
  };
  const events = (p: Page) => p.evaluate(() => (window as unknown as FixtureWindow).lumioFixture.events);
  // The focused element, through the widget's shadow root.
  const focused = (p: Page) =>
    p.evaluate(() => {
      let el = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      const dialog = el?.closest('[role="dialog"]');
      return {
        id: el?.id ?? '',
        name: el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '',
        inDialog: dialog?.getAttribute('aria-modal') === 'true',
      };
    });
  const widgetStyles = (p: Page) =>
    p.evaluate(async () => {
      const root = document.getElementById('lumio-widget-root')!.shadowRoot!;
      // Compared at rest: an entrance animation caught at another moment is not a difference.
      await Promise.all(root.getAnimations().map((a) => a.finished));
      const props = [
        'color',
        'background-color',
        'font-family',
        'font-size',
        'font-style',
        'line-height',
        'letter-spacing',
        'text-align',
        'text-transform',
        'display',
        'position',
        'opacity',
        'transform',
        'filter',
        'width',
        'height',
        'padding-top',
        'border-top-width',
        'border-top-style',
        'border-radius',
        'box-sizing',
        'z-index',
        'visibility',
      ];
      const styles: Record<string, Record<string, string>> = {};
      for (const selector of [
        '.launcher',
        '.badge',
        '.banner',
        '.banner .close',
        '.backdrop',
        '.popup',
        '.popup h2',
        '.popup .html p',
        '.popup .html a',
        '.popup .cta',
      ]) {
        const el = root.querySelector(selector);
        if (!el) throw new Error(`no ${selector} in the widget`);
        const computed = getComputedStyle(el);
        styles[selector] = Object.fromEntries(props.map((prop) => [prop, computed.getPropertyValue(prop)]));
      }
      const host = getComputedStyle(document.getElementById('lumio-widget-root')!);
      styles.host = { display: host.display, filter: host.filter, position: host.position, 'pointer-events': host.pointerEvents };
      return styles;
    });

  it('keeps host CSS out of the widget and the widget’s CSS out of the host page', async () => {
    const clean = await open('/');
    const expected = await widgetStyles(clean);
    expect(expected['.launcher']).toMatchObject({ 'background-color': 'rgb(79, 70, 229)', color: 'rgb(255, 255, 255)', position: 'fixed' });
    expect(expected.host).toMatchObject({ display: 'contents' });
    await clean.screenshot({ path: new URL('widget-popup.png', OUTPUT).pathname });

    const hostile = await open('/hostile');
    expect(await widgetStyles(hostile)).toEqual(expected);
    await expect.poll(() => hostile.getByRole('button', { name: 'News and help', exact: true }).isVisible()).toBe(true);
    await hostile.screenshot({ path: new URL('widget-popup-hostile-page.png', OUTPUT).pathname });
    await hostile.close();

    // The page's own elements, named like the widget's, look the same with and without the widget.
    const hostStyles = (p: Page) =>
      p.evaluate(() =>
        ['body', 'main', 'h2', 'p', 'a', 'button', 'section', '.badge'].map((selector) => {
          const c = getComputedStyle(document.querySelector(selector)!);
          return [
            selector,
            c.color,
            c.backgroundColor,
            c.fontFamily,
            c.fontSize,
            c.display,
            c.position,
            c.padding,
            c.borderTopWidth,
            c.animationName,
          ];
        }),
      );
    const bare = await browser.newPage();
    await bare.goto(`${origin}/`);
    await bare.waitForFunction(() => 'lumioFixture' in window);
    const before = await hostStyles(bare);
    await bare.evaluate((a) => lumioFixture.mount(a), sampleAnswer());
    expect(await bare.locator('#lumio-widget-root').count()).toBe(1);
    expect(await hostStyles(bare)).toEqual(before);
    await bare.close();
    await clean.close();
  });

  it('shows the popup as a modal dialog named by its title that keeps Tab inside, and Escape closes it and restores focus', async () => {
    const p = await open();
    const dialog = p.getByRole('dialog', { name: 'Dark mode is here' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getAttribute('aria-modal')).toBe('true');
    expect(await dialog.getAttribute('data-announcement-id')).toBe('ann_popup');
    expect(await dialog.evaluate((el) => el.getRootNode() !== document)).toBe(true);
    expect(await focused(p)).toMatchObject({ inDialog: true });

    // The dialog's focusable elements in order: the link in its body, the call to action, the close button.
    const forward: string[] = [];
    for (let i = 0; i < 4; i++) {
      await p.keyboard.press('Tab');
      const f = await focused(p);
      expect(f.inDialog).toBe(true);
      forward.push(f.name);
    }
    expect(forward).toEqual(['settings', 'Try it', 'Close', 'settings']);
    const backward: string[] = [];
    for (let i = 0; i < 2; i++) {
      await p.keyboard.press('Shift+Tab');
      const f = await focused(p);
      expect(f.inDialog).toBe(true);
      backward.push(f.name);
    }
    expect(backward).toEqual(['Close', 'Try it']);

    await p.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await focused(p)).toMatchObject({ id: 'host-button', inDialog: false });
    expect(await events(p)).toEqual(
      expect.arrayContaining([
        ['ann_popup', 'seen'],
        ['ann_popup', 'dismissed'],
      ]),
    );
    expect((await events(p)).filter(([id]) => id === 'ann_popup')).toHaveLength(2);
    await p.close();
  });

  it('reports the call to action of the popup, which also closes it', async () => {
    const p = await open();
    const popup = p.getByRole('dialog', { name: 'Dark mode is here' });
    const cta = popup.getByRole('link', { name: 'Try it' });
    expect(await cta.getAttribute('href')).toBe('https://example.com/try');
    expect(await cta.getAttribute('target')).toBe('_blank');
    // Keep the test off the network: the new tab the link opens is not needed.
    await p.context().route('https://example.com/**', (route) => route.fulfill({ body: 'ok' }));
    await cta.click();
    await expect.poll(() => popup.count()).toBe(0);
    const reported = await events(p);
    expect(reported.slice(0, 2)).toEqual(
      expect.arrayContaining([
        ['ann_popup', 'seen'],
        ['ann_banner', 'seen'],
      ]),
    );
    expect(reported.slice(2)).toEqual([
      ['ann_popup', 'clicked'],
      ['ann_popup', 'dismissed'],
    ]);
    await p.close();
  });

  it('shows a banner as a named region at the top or bottom, closed from the keyboard', async () => {
    const answer = sampleAnswer({
      announcements: [announcement({ id: 'ann_bottom', kind: 'banner', title: 'Planned maintenance', bannerPosition: 'bottom' })],
    });
    const p = await open('/', answer);
    const banner = p.getByRole('region', { name: 'Planned maintenance' });
    await expect.poll(() => banner.isVisible()).toBe(true);
    expect(await banner.getAttribute('data-announcement-id')).toBe('ann_bottom');
    await banner.evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished)));
    const box = (await banner.boundingBox())!;
    expect(box.y + box.height).toBeCloseTo(p.viewportSize()!.height, 0);
    // The launcher sits above a bottom banner, not over its close button.
    const launcherBox = (await p.getByRole('button', { name: 'News and help', exact: true }).boundingBox())!;
    expect(launcherBox.y + launcherBox.height).toBeLessThanOrEqual(box.y);
    // A banner interrupts nobody: focus stays where it was.
    expect(await focused(p)).toMatchObject({ id: 'host-button' });
    await p.screenshot({ path: new URL('widget-banner.png', OUTPUT).pathname });

    let reached = false;
    for (let i = 0; i < 10 && !reached; i++) {
      await p.keyboard.press('Tab');
      reached = (await focused(p)).name === 'Dismiss';
    }
    expect(reached).toBe(true);
    await p.keyboard.press('Enter');
    await expect.poll(() => banner.count()).toBe(0);
    expect(await events(p)).toEqual([
      ['ann_bottom', 'seen'],
      ['ann_bottom', 'dismissed'],
    ]);
    await p.close();

    const top = await open('/', sampleAnswer({ announcements: [announcement({ id: 'ann_top', kind: 'banner', title: 'On top' })] }));
    const topBanner = top.getByRole('region', { name: 'On top' });
    await topBanner.evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished)));
    expect((await topBanner.boundingBox())!.y).toBe(0);
    await top.close();
  });

  it('opens the feed from the launcher with Enter, lists the posts, and Escape closes it with focus back on the launcher', async () => {
    const p = await open('/', sampleAnswer({ announcements: sampleAnswer().announcements.filter((a) => a.kind === 'post') }));
    const launcher = p.getByRole('button', { name: 'News and help', exact: true });
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    expect(await launcher.getAttribute('aria-controls')).toBe('lumio-panel');
    expect(await launcher.evaluate((el) => el.tagName)).toBe('BUTTON');
    // One post is new: the badge says so, and so does the launcher's description.
    expect(await launcher.evaluate((el) => el.querySelector('.badge')?.textContent)).toBe('1 unread');

    await launcher.focus();
    await p.keyboard.press('Enter');
    const panel = p.getByRole('dialog', { name: 'What’s new' });
    await expect.poll(() => panel.isVisible()).toBe(true);
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    expect(await panel.getAttribute('id')).toBe('lumio-panel');
    expect(await panel.locator('article').evaluateAll((els) => els.map((el) => el.getAttribute('data-announcement-id')))).toEqual([
      'ann_post_new',
      'ann_post_old',
    ]);
    expect(await panel.getByRole('article', { name: 'Faster search' }).isVisible()).toBe(true);
    await panel.evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished)));
    await p.screenshot({ path: new URL('widget-panel.png', OUTPUT).pathname });
    expect(await events(p)).toEqual([['ann_post_new', 'seen']]);
    await expect.poll(() => launcher.evaluate((el) => el.querySelector('.badge'))).toBeNull();

    await p.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    expect(await focused(p)).toMatchObject({ name: 'News and help' });
    // Focus moved by keyboard is visible.
    expect(await launcher.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');

    // Open again, and close with the close button from the keyboard.
    await p.keyboard.press('Enter');
    await expect.poll(() => panel.isVisible()).toBe(true);
    await p.keyboard.press('Tab');
    expect(await focused(p)).toMatchObject({ name: 'Close news and help' });
    await p.keyboard.press('Enter');
    await expect.poll(() => panel.count()).toBe(0);
    expect(await focused(p)).toMatchObject({ name: 'News and help' });
    await p.close();
  });

  it('runs no animation or transition under prefers-reduced-motion: reduce (and does without it)', async () => {
    const motion = async (reducedMotion?: 'reduce') => {
      const p = await open('/', sampleAnswer(), { reducedMotion });
      const result = await p.evaluate(() => {
        const root = document.getElementById('lumio-widget-root')!.shadowRoot!;
        const popup = getComputedStyle(root.querySelector('.popup')!);
        const launcher = getComputedStyle(root.querySelector('.launcher')!);
        return {
          running: root.getAnimations().length,
          popupAnimation: popup.animationName,
          launcherTransition: launcher.transitionDuration,
        };
      });
      await p.close();
      return result;
    };
    expect(await motion('reduce')).toEqual({ running: 0, popupAnimation: 'none', launcherTransition: '0s' });
    const animated = await motion();
    expect(animated.popupAnimation).toBe('lumio-pop');
    expect(animated.running).toBeGreaterThan(0);
  });

  it('takes its colour and position from the widget’s appearance, with readable text on the brand colour', async () => {
    const p = await open(
      '/',
      sampleAnswer({ appearance: { color: '#facc15', position: 'bottom-left', bannerPlacement: 'overlay' }, announcements: [] }),
    );
    const launcher = p.getByRole('button', { name: 'News and help', exact: true });
    const look = await launcher.evaluate((el) => ({ background: getComputedStyle(el).backgroundColor, color: getComputedStyle(el).color }));
    expect(look).toEqual({ background: 'rgb(250, 204, 21)', color: 'rgb(0, 0, 0)' });
    const box = (await launcher.boundingBox())!;
    expect(box.x).toBe(20);
    await launcher.click();
    // Without posts the panel opens on Help; What’s new is one tab away.
    const panel = p.getByRole('dialog', { name: 'Help' });
    expect((await panel.boundingBox())!.x).toBe(20);
    await panel.getByRole('tab', { name: 'What’s new' }).click();
    expect(
      await p.getByRole('dialog', { name: 'What’s new' }).getByText('No news yet. Product updates will show up here.').isVisible(),
    ).toBe(true);
    await p.close();

    const right = await open('/', sampleAnswer({ announcements: [] }));
    const rightBox = (await right.getByRole('button', { name: 'News and help', exact: true }).boundingBox())!;
    expect(rightBox.x + rightBox.width).toBe(right.viewportSize()!.width - 20);
    await right.close();
  });
});
