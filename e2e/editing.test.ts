// Editing in the dashboard as a team does it, in Chromium against a real
// `lumio start`: a save says so in a toast (a polite live region that waits
// while pointed at) with the item's status still in sight after scrolling;
// leaving an edited form asks first (Cancel keeps the edit, Leave goes), but
// not once it is saved, not when nothing changed, and not on the way to an
// item just created; closing or reloading the tab gets the browser's own
// question. On a wide screen the editors show form and preview side by side
// (the preview stays in sight); on a narrower one, one above the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { screenshot, seriousAxeViolations } from './support/dashboard-checks.js';
import { startLumio, type E2eServer } from './support/lumio-server.js';

const TITLE = 'New reports are here';
const ARTICLE = 'Export your receipts';

describe.runIf(browserTestsEnabled())('editing in the dashboard (Chromium)', () => {
  let lumio: E2eServer;
  let browser: Browser;
  let announcementId: string;
  let articleId: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    lumio = await startLumio();
    const created = await lumio.api('POST', `/api/v1/workspaces/${lumio.workspaceId}/announcements`, {
      kind: 'popup',
      title: TITLE,
      body: 'Open **Reports** to see them.',
      status: 'draft',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    announcementId = created.body.id;
    const article = await lumio.api('POST', `/api/v1/workspaces/${lumio.workspaceId}/help/articles`, {
      title: ARTICLE,
      body: '# Receipts\n\nDownload every receipt as a spreadsheet.\n\n'.repeat(6),
      status: 'draft',
    });
    expect(article.status, JSON.stringify(article.body)).toBe(201);
    articleId = article.body.id;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await lumio?.stop();
  });

  const open = async (path: string, width = 1440, height = 900): Promise<Page> => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width, height } });
    contexts.push(context);
    const [name, value] = lumio.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: lumio.url }]);
    const page = await context.newPage();
    // A step that cannot happen (a click under a dialog that should not be there) fails with its name, not a test timeout.
    page.setDefaultTimeout(8_000);
    await page.goto(`${lumio.url}/app/w/${lumio.workspaceId}/${path}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    return page;
  };
  const editor = (width?: number, height?: number) => open(`announcements/${announcementId}`, width, height);
  const sidebarLink = (page: Page, name: string) => page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name });
  const leavePrompt = (page: Page) => page.getByRole('alertdialog', { name: 'Leave without saving?' });
  const toast = (page: Page, text: string | RegExp) => page.getByRole('status').filter({ hasText: text });
  /** Whether the element is wholly inside the viewport as the page is scrolled now. */
  const inViewport = (target: Locator) =>
    target.evaluate((el) => {
      const box = el.getBoundingClientRect();
      return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight && box.left >= 0 && box.right <= window.innerWidth;
    });
  const box = async (target: Locator) => (await target.boundingBox())!;
  /** Types as a person would (a real key press gives the page the user activation the browser's leave question needs). */
  const typeInto = async (field: Locator, text: string) => {
    await field.click();
    await field.press('End');
    await field.pressSequentially(text);
  };

  it('shows a toast after a save, keeps the status in sight after scrolling, and passes axe with the toast shown', async () => {
    const page = await editor(1440, 800);
    // The Publish button is at the end of a long form: the team has scrolled down to it.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await expect.poll(() => toast(page, 'Saved; it is live.').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
    const badge = page.locator('header.page-header .badge');
    await expect.poll(() => badge.textContent()).toBe('Live');
    expect(await inViewport(badge)).toBe(true);
    expect(await inViewport(page.getByRole('button', { name: 'End now' }))).toBe(true);
    expect(await inViewport(toast(page, 'Saved; it is live.'))).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'announcement-editor-saved-toast');

    // Pointed at, it waits (past its 5 seconds); left, it goes by itself.
    await toast(page, 'Saved; it is live.').hover();
    await page.waitForTimeout(6_500);
    expect(await toast(page, 'Saved; it is live.').count()).toBe(1);
    await page.mouse.move(10, 10);
    await expect.poll(() => toast(page, 'Saved; it is live.').count(), { timeout: 8_000 }).toBe(0);

    // Its Dismiss button removes it at once.
    await page.getByRole('button', { name: 'Unpublish (back to draft)' }).click();
    await expect.poll(() => toast(page, 'Saved as a draft.').count(), { timeout: 10_000 }).toBe(1);
    await page.getByRole('button', { name: 'Dismiss: Saved as a draft.' }).click();
    expect(await toast(page, 'Saved as a draft.').count()).toBe(0);
  });

  it('asks before leaving an edited announcement: Cancel keeps the edit, Leave goes', async () => {
    const page = await editor();
    const title = page.getByRole('textbox', { name: 'Title' });
    await typeInto(title, ' (edited)');
    await expect.poll(() => page.locator('header.page-header').textContent()).toMatch(/Unsaved changes/);
    await sidebarLink(page, 'Segments').click();
    await expect.poll(() => leavePrompt(page).isVisible()).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    // The safe choice has the focus.
    await expect
      .poll(() =>
        leavePrompt(page)
          .getByRole('button', { name: 'Cancel' })
          .evaluate((b) => b === document.activeElement),
      )
      .toBe(true);
    await leavePrompt(page).getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => leavePrompt(page).count()).toBe(0);
    expect(page.url()).toContain(`/announcements/${announcementId}`);
    expect(await title.inputValue()).toBe(`${TITLE} (edited)`);
    // Back at the field being edited, to type on.
    await expect.poll(() => title.evaluate((field) => field === document.activeElement)).toBe(true);

    await sidebarLink(page, 'Segments').click();
    await leavePrompt(page).getByRole('button', { name: 'Leave' }).click();
    await page.waitForURL(/\/segments$/, { timeout: 5_000 });
    expect(await leavePrompt(page).count()).toBe(0);
    const stored = await lumio.api('GET', `/api/v1/workspaces/${lumio.workspaceId}/announcements/${announcementId}`);
    expect(stored.body.title).toBe(TITLE);
  });

  it('does not ask when nothing changed, nor after the edit is saved', async () => {
    const page = await editor();
    await sidebarLink(page, 'Segments').click();
    await page.waitForURL(/\/segments$/, { timeout: 5_000 });
    expect(await leavePrompt(page).count()).toBe(0);

    await page.goBack();
    const title = page.getByRole('textbox', { name: 'Title' });
    await title.waitFor();
    await typeInto(title, ' again');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => toast(page, 'Saved as a draft.').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.locator('header.page-header').textContent()).not.toMatch(/Unsaved changes/);
    await sidebarLink(page, 'Segments').click();
    await page.waitForURL(/\/segments$/, { timeout: 5_000 });
    expect(await leavePrompt(page).count()).toBe(0);
    const stored = await lumio.api('GET', `/api/v1/workspaces/${lumio.workspaceId}/announcements/${announcementId}`);
    expect(stored.body.title).toBe(`${TITLE} again`);
  });

  it('goes to a new announcement once created, without asking', async () => {
    const page = await open('announcements/new');
    await typeInto(page.getByRole('textbox', { name: 'Title' }), 'Brand new');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/announcements\/ann_/, { timeout: 5_000 });
    await expect.poll(() => toast(page, 'Saved as a draft.').count(), { timeout: 10_000 }).toBe(1);
    expect(await leavePrompt(page).count()).toBe(0);
  });

  it('goes to the list after deleting an edited announcement, without asking', async () => {
    const created = await lumio.api('POST', `/api/v1/workspaces/${lumio.workspaceId}/announcements`, {
      kind: 'post',
      title: 'To be deleted',
      body: 'Soon gone.',
      status: 'draft',
    });
    const page = await open(`announcements/${created.body.id}`);
    await typeInto(page.getByRole('textbox', { name: 'Title' }), ' now');
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page
      .getByRole('alertdialog')
      .getByRole('button', { name: /^Delete/ })
      .click();
    await page.waitForURL(/\/announcements$/, { timeout: 5_000 });
    expect(await leavePrompt(page).count()).toBe(0);
  });

  it('goes to a new article once created, without asking', async () => {
    const page = await open('help/articles/new');
    await typeInto(page.getByRole('textbox', { name: 'Title' }), 'Brand new article');
    await page.getByRole('button', { name: 'Create article' }).click();
    await page.waitForURL(/\/help\/articles\/art_/, { timeout: 5_000 });
    await expect.poll(() => toast(page, 'Article created.').count(), { timeout: 10_000 }).toBe(1);
    expect(await leavePrompt(page).count()).toBe(0);
  });

  it("gets the browser's own question on reload while edited, and none once saved", async () => {
    const page = await editor();
    const asked: string[] = [];
    page.on('dialog', (dialog) => {
      asked.push(dialog.type());
      void dialog.dismiss();
    });
    const title = page.getByRole('textbox', { name: 'Title' });
    await typeInto(title, '!');
    // Dismissed: the reload does not happen and the edit is still there.
    await page.reload({ timeout: 2_000 }).catch(() => undefined);
    await expect.poll(() => asked).toEqual(['beforeunload']);
    expect(await title.inputValue()).toMatch(/!$/);

    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => toast(page, 'Saved as a draft.').count(), { timeout: 10_000 }).toBe(1);
    await page.reload();
    await page.getByRole('textbox', { name: 'Title' }).waitFor();
    expect(asked).toEqual(['beforeunload']);
  });

  it('asks before leaving edited workspace settings, and not after saving them', async () => {
    const page = await open('settings');
    const halfLife = page.getByRole('spinbutton', { name: 'Interest half-life (days)' });
    await halfLife.fill('');
    await typeInto(halfLife, '45');
    await sidebarLink(page, 'Segments').click();
    await expect.poll(() => leavePrompt(page).isVisible()).toBe(true);
    await leavePrompt(page).getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => toast(page, 'Workspace settings saved.').count(), { timeout: 10_000 }).toBe(1);
    await sidebarLink(page, 'Segments').click();
    await page.waitForURL(/\/segments$/, { timeout: 5_000 });
    expect(await leavePrompt(page).count()).toBe(0);
  });

  it('asks before leaving an edited article, and toasts its save', async () => {
    const page = await open(`help/articles/${articleId}`);
    await typeInto(page.getByRole('textbox', { name: 'Body (Markdown)' }), 'One more line.');
    await sidebarLink(page, 'Segments').click();
    await expect.poll(() => leavePrompt(page).isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => leavePrompt(page).count()).toBe(0);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => toast(page, /^Saved /).count(), { timeout: 10_000 }).toBe(1);
    await sidebarLink(page, 'Segments').click();
    await page.waitForURL(/\/segments$/, { timeout: 5_000 });
    expect(await leavePrompt(page).count()).toBe(0);
  });

  it('asks before leaving a segment being written, and goes to it once created', async () => {
    const page = await open('segments/new');
    await typeInto(page.getByRole('textbox', { name: 'Name' }), 'Power users');
    await sidebarLink(page, 'Help center').click();
    await leavePrompt(page).getByRole('button', { name: 'Leave' }).click();
    await page.waitForURL(/\/help$/, { timeout: 5_000 });

    await page.goto(`${lumio.url}/app/w/${lumio.workspaceId}/segments/new`);
    await typeInto(page.getByRole('textbox', { name: 'Name' }), 'Power users');
    await page.getByRole('button', { name: 'Create segment' }).click();
    await page.waitForURL(/\/segments\/seg_/, { timeout: 5_000 });
    await expect.poll(() => toast(page, 'Segment created.').count(), { timeout: 10_000 }).toBe(1);
    expect(await leavePrompt(page).count()).toBe(0);
  });

  it("asks before another tab of a widget's page drops its edited settings", async () => {
    const widget = await lumio.createWidget({ name: 'Web app' });
    const page = await open(`widgets/${widget.id}?tab=settings`);
    const name = page.getByRole('textbox', { name: 'Name' });
    await typeInto(name, ' 2');
    await page.getByRole('tab', { name: 'Install' }).click();
    await expect.poll(() => leavePrompt(page).isVisible()).toBe(true);
    await leavePrompt(page).getByRole('button', { name: 'Cancel' }).click();
    // Cancel gives the focus back to the field, not to the tab (focusing a tab selects it, which would ask again).
    await expect.poll(() => leavePrompt(page).count()).toBe(0);
    await expect.poll(() => name.evaluate((field) => field === document.activeElement)).toBe(true);
    expect(page.url()).toMatch(/tab=settings$/);
    expect(await name.inputValue()).toBe('Web app 2');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => toast(page, 'Settings saved.').count(), { timeout: 10_000 }).toBe(1);
    await page.getByRole('tab', { name: 'Install' }).click();
    await expect.poll(() => page.url()).toMatch(/tab=install$/);
    expect(await leavePrompt(page).count()).toBe(0);
  });

  const sideBySide = async (form: Locator, preview: Locator) => {
    const [f, p] = [await box(form), await box(preview)];
    return p.x >= f.x + f.width - 1 && Math.abs(p.y - f.y) < 2;
  };
  const stacked = async (form: Locator, preview: Locator) => {
    const [f, p] = [await box(form), await box(preview)];
    return p.y >= f.y + f.height - 1 && Math.abs(p.x - f.x) < 2;
  };

  it('puts the announcement preview beside the form at 1440 px (in sight while the form scrolls) and below it at 900 px', async () => {
    const wide = await editor(1440, 900);
    const form = wide.locator('.announcement-editor-form');
    const preview = wide.locator('.announcement-editor > .widget-preview-section');
    await wide.getByRole('button', { name: 'Show preview' }).click();
    await wide.locator('iframe[title^="Widget preview"]').waitFor();
    expect(await sideBySide(form, preview)).toBe(true);
    await wide.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    expect(await wide.evaluate(() => window.scrollY)).toBeGreaterThan(200);
    expect(await inViewport(wide.getByRole('heading', { name: 'Preview in the widget' }))).toBe(true);
    await screenshot(wide, 'announcement-editor-1440');

    const narrow = await editor(900, 900);
    expect(
      await stacked(narrow.locator('.announcement-editor-form'), narrow.locator('.announcement-editor > .widget-preview-section')),
    ).toBe(true);
  });

  it('keeps the announcement preview live as one types, with the focus staying in the field being edited', async () => {
    const page = await editor(1440, 900);
    await page.getByRole('button', { name: 'Show preview' }).click();
    const frame = page.frameLocator('iframe[title^="Widget preview"]');
    const title = page.getByRole('textbox', { name: 'Title', exact: true });
    // The title as the earlier tests left it saved.
    const saved = await title.inputValue();
    // The draft is a popup: the widget's popup takes the focus when drawn, as it does for a visitor.
    await expect.poll(() => frame.getByRole('dialog', { name: saved, exact: true }).count(), { timeout: 10_000 }).toBe(1);
    await typeInto(title, ' today');
    // No click: the preview follows the draft a moment after the typing stops.
    await expect.poll(() => frame.getByRole('dialog', { name: `${saved} today`, exact: true }).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => title.evaluate((field) => field === document.activeElement)).toBe(true);
    // Typing goes on into the field, not into the redrawn popup.
    await page.keyboard.type('!');
    expect(await title.inputValue()).toBe(`${saved} today!`);
    // The body is rendered by the server, as a save would.
    const body = page.getByRole('textbox', { name: 'Body (Markdown)' });
    await typeInto(body, ' **Now with charts.**');
    await expect.poll(() => frame.locator('strong', { hasText: 'Now with charts.' }).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => body.evaluate((field) => field === document.activeElement)).toBe(true);
  });

  it('puts the article preview beside the form at 1440 px and below it at 900 px', async () => {
    const wide = await open(`help/articles/${articleId}`, 1440, 900);
    const form = wide.locator('form.editor-layout > .stack');
    const preview = wide.locator('form.editor-layout > .article-preview');
    await preview.getByRole('heading', { name: 'Receipts' }).first().waitFor();
    expect(await sideBySide(form, preview)).toBe(true);
    await wide.evaluate(() => window.scrollTo(0, 600));
    expect(await inViewport(preview.getByRole('heading', { name: 'Preview' }))).toBe(true);
    expect(await inViewport(wide.locator('header.page-header .badge'))).toBe(true);

    const narrow = await open(`help/articles/${articleId}`, 900, 900);
    expect(await stacked(narrow.locator('form.editor-layout > .stack'), narrow.locator('form.editor-layout > .article-preview'))).toBe(
      true,
    );
  });
});
