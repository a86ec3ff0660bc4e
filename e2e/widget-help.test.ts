// The widget's Help tab in Chromium: the real Preact UI and HelpStore, fed a
// fixture help center through the HelpApi that the SDK engine implements in
// widget.js (test-support/help-fixtures.ts), on a page served by a tiny
// node:http server. Screenshots of the Help tab and an article go to e2e/output/.
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnouncementsAnswer } from '@lumio/protocol/browser';
import type { LumioFixture } from '../packages/widget/src/test-support/fixture-entry.js';
import { sampleAnswer } from '../packages/widget/src/test-support/fixtures.js';
import { sampleHelp, type HelpFixture } from '../packages/widget/src/test-support/help-fixtures.js';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { startFixtureServer, type FixtureServer } from './support/fixture-server.js';

const OUTPUT = new URL('./output/', import.meta.url);
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Host</title><style>body { font-family: serif; margin: 24px }</style></head>
<body><main><h1>Host app</h1><button id="host-button">Host button</button></main><script src="/fixture.js"></script></body></html>`;

declare const lumioFixture: LumioFixture;

// Posts only: no popup or banner in the way of the panel.
const postsOnly = (): AnnouncementsAnswer => sampleAnswer({ announcements: sampleAnswer().announcements.filter((a) => a.kind === 'post') });

describe.runIf(browserTestsEnabled())('widget Help tab in Chromium', () => {
  let browser: Browser;
  let server: FixtureServer;
  let origin: string;

  beforeAll(async () => {
    server = await startFixtureServer({ '/': PAGE });
    origin = server.origin;
    browser = await launchChromium();
    fs.mkdirSync(OUTPUT, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const open = async (answer: AnnouncementsAnswer = postsOnly(), help: HelpFixture = sampleHelp()) => {
    const p = await browser.newPage();
    await p.goto(`${origin}/`);
    await p.waitForFunction(() => 'lumioFixture' in window);
    await p.evaluate(([a, h]) => lumioFixture.mount(a, h), [answer, help] as const);
    return p;
  };
  /** Opens the panel from the launcher and switches to Help by keyboard. */
  const openHelp = async (p: Page) => {
    await p.getByRole('button', { name: 'News and help', exact: true }).click();
    await p.getByRole('tab', { name: 'What’s new' }).focus();
    await p.keyboard.press('ArrowRight');
    const help = p.getByRole('tabpanel', { name: 'Help' });
    await expect.poll(() => help.isVisible()).toBe(true);
    return help;
  };
  const calls = (p: Page) => p.evaluate(() => lumioFixture.helpCalls);
  const focused = (p: Page) =>
    p.evaluate(() => {
      let el = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return {
        tag: el?.tagName.toLowerCase() ?? '',
        role: el?.getAttribute('role') ?? '',
        name: el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '',
      };
    });
  const status = (p: Page) => p.getByRole('tabpanel', { name: 'Help' }).getByRole('status').textContent();

  it('switches tabs with the arrow keys, Home and End, and fetches help only once its tab is opened', async () => {
    const p = await open();
    await p.getByRole('button', { name: 'News and help', exact: true }).focus();
    await p.keyboard.press('Enter');
    expect(await p.getByRole('dialog', { name: 'What’s new' }).isVisible()).toBe(true);
    expect(await calls(p)).toEqual([]);

    await p.keyboard.press('Tab');
    expect(await focused(p)).toMatchObject({ name: 'Close news and help' });
    await p.keyboard.press('Tab');
    expect(await focused(p)).toEqual({ tag: 'button', role: 'tab', name: 'What’s new' });
    const tabs = p.getByRole('tablist', { name: 'News and help' }).getByRole('tab');
    expect(await tabs.evaluateAll((els) => els.map((el) => [el.textContent, el.getAttribute('aria-selected'), el.tabIndex]))).toEqual([
      ['What’s new', 'true', 0],
      ['Help', 'false', -1],
    ]);
    const news = p.getByRole('tabpanel', { name: 'What’s new' });
    expect(await news.getAttribute('id')).toBe(await tabs.first().getAttribute('aria-controls'));

    await p.keyboard.press('ArrowRight');
    expect(await focused(p)).toEqual({ tag: 'button', role: 'tab', name: 'Help' });
    const help = p.getByRole('tabpanel', { name: 'Help' });
    await expect.poll(() => help.isVisible()).toBe(true);
    expect(await news.isHidden()).toBe(true);
    expect(await p.getByRole('dialog', { name: 'Help' }).isVisible()).toBe(true);
    await expect.poll(() => help.getByRole('button', { name: 'Getting started' }).isVisible()).toBe(true);
    expect(await calls(p)).toEqual([['collections'], ['articles', { saved: true }], ['suggested']]);
    // Nothing suggested for this viewer: no empty "Suggested for you" section.
    expect(await help.getByRole('heading', { name: 'Suggested for you' }).count()).toBe(0);

    // Arrows wrap; Home and End go to the first and last tab.
    await p.keyboard.press('ArrowRight');
    expect(await focused(p)).toMatchObject({ name: 'What’s new' });
    await p.keyboard.press('ArrowLeft');
    expect(await focused(p)).toMatchObject({ name: 'Help' });
    await p.keyboard.press('Home');
    expect(await focused(p)).toMatchObject({ name: 'What’s new' });
    expect(await news.isVisible()).toBe(true);
    await p.keyboard.press('End');
    expect(await focused(p)).toMatchObject({ name: 'Help' });
    // Tab leaves the tab list for the tab's content: the search box.
    await p.keyboard.press('Tab');
    expect(await focused(p)).toMatchObject({ tag: 'input', name: 'Search help articles' });
    // Coming back to Help kept its data: nothing fetched twice.
    expect(await calls(p)).toHaveLength(3);
    await p.close();

    // Without posts the panel opens on Help.
    const empty = await open(sampleAnswer({ announcements: [] }));
    await empty.getByRole('button', { name: 'News and help', exact: true }).click();
    await expect.poll(() => empty.getByRole('dialog', { name: 'Help' }).isVisible()).toBe(true);
    expect(await empty.getByRole('tab', { name: 'Help' }).getAttribute('aria-selected')).toBe('true');
    await empty.close();
  });

  it('shows "Suggested for you" as a list under its heading, keeps the server’s collection order, and Back returns to the suggestion', async () => {
    // The server's order for this viewer: Account & security before Getting started (not the fixture's nor the alphabet's).
    const base = sampleHelp();
    const help = { ...base, collections: [base.collections[1]!, base.collections[0]!], suggested: ['art_2fa', 'art_invite'] };
    const p = await open(postsOnly(), help);
    const panel = await openHelp(p);
    const heading = panel.getByRole('heading', { name: 'Suggested for you', level: 3 });
    await expect.poll(() => heading.isVisible()).toBe(true);
    // The suggestions are the list right after the heading, in the server's order, each row a button named by its title.
    const list = panel.locator('h3:text-is("Suggested for you") + ul');
    expect(await list.getByRole('listitem').getByRole('button').allTextContents()).toEqual([
      'Turn on two-factor authentication',
      'Invite your team',
    ]);
    expect(await panel.locator('[data-nav^="collection:"]').allTextContents()).toEqual(['Account & security', 'Getting started']);
    await panel.locator('.help').evaluate((el) => Promise.all(el.ownerDocument.getAnimations().map((a) => a.finished)));
    await p.screenshot({ path: new URL('widget-help-suggested.png', OUTPUT).pathname });

    // By keyboard: from the Saved entry, Tab reaches the first suggestion; Enter opens it, Back comes back to it.
    await panel.getByRole('button', { name: 'Saved articles' }).focus();
    await p.keyboard.press('Tab');
    expect(await focused(p)).toMatchObject({ tag: 'button', name: 'Turn on two-factor authentication' });
    await p.keyboard.press('Enter');
    await expect.poll(() => panel.getByRole('article', { name: 'Turn on two-factor authentication' }).isVisible()).toBe(true);
    await panel.getByRole('button', { name: 'Back' }).click();
    expect(await focused(p)).toMatchObject({ tag: 'button', name: 'Turn on two-factor authentication' });

    // A search hides the suggestions; clearing it brings them back.
    await panel.getByRole('searchbox', { name: 'Search help articles' }).fill('password');
    await expect.poll(() => heading.count()).toBe(0);
    await panel.getByRole('searchbox').fill('');
    await expect.poll(() => heading.isVisible()).toBe(true);
    await p.close();
  });

  it('searches as you type: one request after the typing pauses, <mark> highlights and nothing else as HTML, the count announced', async () => {
    const p = await open();
    const help = await openHelp(p);
    await help.getByRole('searchbox', { name: 'Search help articles' }).pressSequentially('password', { delay: 20 });
    const results = help.getByRole('listitem');
    await expect.poll(() => results.count()).toBe(1);
    expect(await help.getByRole('button', { name: 'Reset your password' }).isVisible()).toBe(true);
    const snippet = help.locator('[data-snippet]');
    expect(await snippet.textContent()).toBe('Forgot your password? <img src=x onerror=alert(1)> Use <b>the</b> reset link.');
    expect(await snippet.evaluate((el) => Array.from(el.querySelectorAll('*'), (child) => child.outerHTML))).toEqual([
      '<mark>password</mark>',
    ]);
    // The snippet describes the result's button (its name stays the title).
    expect(await help.getByRole('button', { name: 'Reset your password' }).getAttribute('aria-describedby')).toBe(
      await snippet.getAttribute('id'),
    );
    await expect.poll(() => status(p)).toBe('1 article found.');
    // Keystrokes 20 ms apart are one search.
    expect((await calls(p)).filter(([name, query]) => name === 'articles' && (query as { query?: string }).query)).toEqual([
      ['articles', { query: 'password' }],
    ]);

    await help.getByRole('searchbox').fill('zebra');
    await expect.poll(() => help.locator('.empty').textContent()).toBe('No articles found.');
    await expect.poll(() => status(p)).toBe('No articles found.');
    // Clearing the search shows the collections again.
    await help.getByRole('searchbox').fill('');
    await expect.poll(() => help.getByRole('button', { name: 'Account & security' }).isVisible()).toBe(true);
    await p.close();
  });

  it('shows the newest query’s answer even when an older one answers later', async () => {
    const p = await open(postsOnly(), sampleHelp({ delays: { two: 600 } }));
    const help = await openHelp(p);
    const box = help.getByRole('searchbox', { name: 'Search help articles' });
    await box.fill('two');
    await expect.poll(async () => (await calls(p)).some(([, query]) => (query as { query?: string })?.query === 'two')).toBe(true);
    await box.fill('invite');
    await expect.poll(() => help.getByRole('button', { name: 'Invite your team' }).isVisible()).toBe(true);
    await p.waitForTimeout(800);
    expect(await help.getByRole('listitem').allTextContents()).toEqual([expect.stringContaining('Invite your team')]);
    await expect.poll(() => status(p)).toBe('1 article found.');
    await p.close();
  });

  it('opens an article from a collection, follows #article links inside the widget, and Back restores each screen with its focus and scroll', async () => {
    const p = await open();
    const help = await openHelp(p);
    const collection = help.getByRole('button', { name: 'Account & security' });
    await collection.focus();
    await p.keyboard.press('Enter');
    expect(await focused(p)).toMatchObject({ tag: 'h3', name: 'Account & security' });
    await help.getByRole('button', { name: 'Reset your password' }).focus();
    await p.keyboard.press('Enter');
    const article = help.getByRole('article', { name: 'Reset your password' });
    await expect.poll(() => article.isVisible()).toBe(true);
    expect(await focused(p)).toMatchObject({ tag: 'h3', name: 'Reset your password' });
    expect(await article.locator('.html p').count()).toBe(16);
    await p.screenshot({ path: new URL('widget-help-article.png', OUTPUT).pathname });

    // The link to another article is at the bottom: scroll there, follow it by keyboard.
    const link = article.getByRole('link', { name: 'two-factor authentication' });
    expect(await link.getAttribute('target')).toBe('_blank');
    await link.focus();
    const scroller = help.locator('.help');
    const scrolled = await scroller.evaluate((el) => el.scrollTop);
    expect(scrolled).toBeGreaterThan(0);
    const pages = p.context().pages().length;
    await p.keyboard.press('Enter');
    await expect.poll(() => help.getByRole('article', { name: 'Turn on two-factor authentication' }).isVisible()).toBe(true);
    expect(p.context().pages()).toHaveLength(pages);
    expect(p.url()).toBe(`${origin}/`);
    expect((await calls(p)).filter(([name]) => name === 'article')).toEqual([
      ['article', 'art_reset'],
      ['article', 'two-factor'],
    ]);
    expect(await scroller.evaluate((el) => el.scrollTop)).toBe(0);

    // Back: the first article again, scrolled as it was, focus on the link that was followed.
    await help.getByRole('button', { name: 'Back' }).click();
    await expect.poll(() => article.isVisible()).toBe(true);
    expect(await focused(p)).toEqual({ tag: 'a', role: '', name: 'two-factor authentication' });
    expect(await scroller.evaluate((el) => el.scrollTop)).toBe(scrolled);
    // Back: the collection, focus on the article's row; Back: home, focus on the collection's row.
    await help.getByRole('button', { name: 'Back' }).click();
    expect(await focused(p)).toMatchObject({ tag: 'button', name: 'Reset your password' });
    expect(await help.getByRole('heading', { name: 'Account & security' }).isVisible()).toBe(true);
    await help.getByRole('button', { name: 'Back' }).click();
    expect(await focused(p)).toMatchObject({ tag: 'button', name: 'Account & security' });
    // Going back reads from memory: no more requests.
    expect((await calls(p)).filter(([name]) => name === 'article')).toHaveLength(2);
    await p.close();
  });

  it('toggles Save with aria-pressed, lists saved articles under Saved, and sends "Was this helpful?" answers', async () => {
    const p = await open();
    const help = await openHelp(p);
    await expect.poll(() => help.getByRole('button', { name: 'Saved articles' }).isVisible()).toBe(true);
    await help.locator('.help').evaluate((el) => Promise.all(el.ownerDocument.getAnimations().map((a) => a.finished)));
    await p.screenshot({ path: new URL('widget-help.png', OUTPUT).pathname });

    await help.getByRole('searchbox', { name: 'Search help articles' }).fill('password');
    await help.getByRole('button', { name: 'Reset your password' }).click();
    const save = help.getByRole('button', { name: 'Save', exact: true });
    expect(await save.getAttribute('aria-pressed')).toBe('false');
    await save.click();
    const saved = help.getByRole('button', { name: 'Saved', exact: true });
    await expect.poll(() => saved.getAttribute('aria-pressed')).toBe('true');
    expect(await focused(p)).toMatchObject({ name: 'Saved' });

    const yes = help.getByRole('group', { name: 'Was this helpful?' }).getByRole('button', { name: 'Yes' });
    await yes.click();
    await expect.poll(() => yes.getAttribute('aria-pressed')).toBe('true');
    expect(await help.getByText('Thanks for your feedback.', { exact: true }).first().isVisible()).toBe(true);
    expect((await calls(p)).filter(([name]) => name === 'save' || name === 'feedback')).toEqual([
      ['save', 'art_reset'],
      ['feedback', 'art_reset', true],
    ]);

    // Back to the search results, clear the search: Saved counts it, and lists it.
    await help.getByRole('button', { name: 'Back' }).click();
    await help.getByRole('searchbox').fill('');
    await expect.poll(() => help.getByText('1 article', { exact: true }).isVisible()).toBe(true);
    await help.getByRole('button', { name: 'Saved articles' }).click();
    expect(await focused(p)).toMatchObject({ tag: 'h3', name: 'Saved articles' });
    expect(await help.getByRole('listitem').allTextContents()).toEqual([expect.stringContaining('Reset your password')]);

    // Unsaved from the article, it leaves the list; Back lands on the list's heading (the row is gone).
    await help.getByRole('button', { name: 'Reset your password' }).click();
    await help.getByRole('button', { name: 'Saved', exact: true }).click();
    await expect.poll(() => help.getByRole('button', { name: 'Save', exact: true }).getAttribute('aria-pressed')).toBe('false');
    await help.getByRole('button', { name: 'Back' }).click();
    await expect.poll(() => help.getByText('No saved articles yet.', { exact: false }).isVisible()).toBe(true);
    expect(await focused(p)).toMatchObject({ tag: 'h3', name: 'Saved articles' });
    expect((await calls(p)).filter(([name]) => name === 'unsave')).toEqual([['unsave', 'art_reset']]);
    await p.close();
  });

  it('says when an article is not available, and a logout starts the Help tab afresh', async () => {
    const help404 = sampleHelp();
    help404.articles[2]!.html = '<p>See <a href="#article/gone" target="_blank" rel="noopener">the old page</a>.</p>';
    const p = await open(postsOnly(), help404);
    const help = await openHelp(p);
    await help.getByRole('button', { name: 'Account & security' }).click();
    await help.getByRole('button', { name: 'Reset your password' }).click();
    await help.getByRole('link', { name: 'the old page' }).click();
    await expect.poll(() => help.getByText('This article is not available.').isVisible()).toBe(true);
    expect(await focused(p)).toMatchObject({ name: 'This article is not available.' });

    const before = (await calls(p)).filter(([name]) => name === 'collections').length;
    await p.evaluate(() => lumioFixture.resetHelp());
    await expect.poll(() => help.getByRole('searchbox', { name: 'Search help articles' }).isVisible()).toBe(true);
    await expect.poll(async () => (await calls(p)).filter(([name]) => name === 'collections').length).toBe(before + 1);
    await p.close();
  });
});
