// The dashboard by keyboard alone, in Chromium against a real `lumio start`:
// each of the team's main jobs is done with Tab, Shift+Tab, Enter, Space,
// Escape, the arrow keys and typing (no clicks, no fill on a field the focus
// has not reached). Set up, the skip link and the main navigation (focus moves
// into the new page); create a widget, copy its shown-once secret and change
// its settings; a segment with one rule; an announcement with its body
// preview, rules (and their JSON), segment, schedule, frequency, format and
// widget preview, published; a help-center collection and article; the
// analytics filters and CSV export; an invite link copied; Escape closes the
// dialogs and the focus goes back to what opened them. Focused controls show a
// focus indicator. Results are read in the page and, where cheap, the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { describeFocus, expectFocus, focusIndicator, tabTo } from './support/keyboard.js';
import { startUnsetLumio, type UnsetLumio } from './support/lumio-server.js';

const OWNER = { email: 'owner@example.com', password: 'correct horse battery staple' };
const SEGMENT = 'Pro plans';
const TITLE = 'Reports are here';
const COLLECTION = 'Billing';
const ARTICLE = 'Download your invoices';

describe.runIf(browserTestsEnabled())('dashboard by keyboard in Chromium', { timeout: 30_000 }, () => {
  let lumio: UnsetLumio;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let workspaceId: string;

  beforeAll(async () => {
    lumio = await startUnsetLumio({ LUMIO_DEMO: 'false' });
    browser = await launchChromium();
    // The clipboard is read back to check the copy buttons; times are typed in UTC.
    context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'], locale: 'en-US', timezoneId: 'UTC' });
    page = await context.newPage();
    // A locator that never matches fails in seconds, naming itself, rather than running into the test's timeout.
    page.setDefaultTimeout(8_000);
  }, 60_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await lumio?.stop();
  });

  const ws = (path: string) => `${lumio.url}/app/w/${workspaceId}/${path}`;
  /** The dashboard's API as the signed-in owner. */
  const api = <T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> =>
    page.evaluate(
      async ([method, path, body]) => {
        const res = await fetch(`/api/v1${path}`, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, body: res.status === 204 ? null : await res.json() };
      },
      [method, path, body] as const,
    );
  const heading = () => page.getByRole('heading', { level: 1 });
  const main = () => page.getByRole('main');
  const button = (name: string | RegExp) => page.getByRole('button', { name, exact: typeof name === 'string' });
  const link = (name: string | RegExp) => page.getByRole('link', { name, exact: typeof name === 'string' });
  const textbox = (name: string) => page.getByRole('textbox', { name, exact: true });
  const combobox = (name: string) => page.getByRole('combobox', { name, exact: true });
  /** Opens a page by its address, then uses its skip link: the focus is at the start of its content. */
  const openPage = async (path: string, title: string) => {
    await page.goto(ws(path));
    await expect.poll(() => heading().textContent()).toBe(title);
    await page.keyboard.press('Tab');
    await expectFocus(page, link('Skip to content'));
    await page.keyboard.press('Enter');
    await expectFocus(page, main());
  };
  /** After a move to another page the focus is in its content: not left in the sidebar, nor lost on <body>. */
  const expectFocusInContent = async (what: string) => {
    expect(await main().evaluate((m) => m.contains(document.activeElement)), `${what}: ${await describeFocus(page)}`).toBe(true);
  };
  /** The focused control shows a focus indicator (a box-shadow ring or an outline). */
  const expectFocusIndicator = async (what: string) => {
    const style = await focusIndicator(page);
    expect(style.outline !== 'none' || style.boxShadow !== 'none', `${what} (${await describeFocus(page)}): ${JSON.stringify(style)}`).toBe(
      true,
    );
  };
  /** Tabs to a native select and picks an option with the arrow keys (they change it while it is closed, as on Windows and Linux). */
  const choose = async (select: Locator, label: string) => {
    await tabTo(page, select);
    const { from, to } = await select.evaluate(
      (s: HTMLSelectElement, wanted) => ({ from: s.selectedIndex, to: [...s.options].findIndex((o) => o.textContent === wanted) }),
      label,
    );
    expect(to, `${select} has no option "${label}"`).toBeGreaterThanOrEqual(0);
    for (let i = from; i !== to; i += Math.sign(to - from)) await page.keyboard.press(to > from ? 'ArrowDown' : 'ArrowUp');
    expect(await select.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)).toBe(label);
  };
  /** Tabs to a button or link and presses Enter on it. */
  const activate = async (target: Locator, options?: { backwards: boolean }) => {
    await tabTo(page, target, options);
    await page.keyboard.press('Enter');
  };
  /** Moves along a tab list with an arrow key; Radix moves the focus (and so the selection) a moment after the key. */
  const arrowTo = async (key: 'ArrowLeft' | 'ArrowRight', tab: string) => {
    await page.keyboard.press(key);
    await expectFocus(page, page.getByRole('tab', { name: tab, exact: true }));
  };
  /** "Add rule", then its fields in turn: the new row takes the focus at its attribute. */
  const addRule = async (n: number, attribute: string, operator: string, value: string) => {
    await activate(button('Add rule'));
    await expectFocus(page, combobox(`Attribute of rule ${n}`));
    await page.keyboard.type(attribute);
    await choose(combobox(`Operator of rule ${n}`), operator);
    await tabTo(page, textbox(`Value of rule ${n}`));
    await page.keyboard.type(value);
  };

  it('sets up, skips to the content and walks the main navigation, the focus following each page', async () => {
    await page.goto(`${lumio.url}/app/setup#token=${lumio.setupToken}`);
    await expect.poll(() => heading().textContent()).toBe('Set up Lumio');
    await tabTo(page, textbox('Your email'));
    await expectFocusIndicator('a text field');
    await page.keyboard.type(OWNER.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Olivia Owner');
    await page.keyboard.press('Tab');
    await page.keyboard.type(OWNER.password);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Acme');
    await tabTo(page, button('Create owner and workspace'));
    await expectFocusIndicator('a button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/app\/w\/ws_[^/]+\/widgets/);
    workspaceId = /\/app\/w\/(ws_[^/?]+)/.exec(page.url())![1]!;

    // The skip link is the first stop, shows when focused, and lands in <main>.
    await page.goto(ws('widgets'));
    await expect.poll(() => heading().textContent()).toBe('Widgets');
    await page.keyboard.press('Tab');
    const skip = link('Skip to content');
    await expectFocus(page, skip);
    const box = (await skip.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeGreaterThanOrEqual(0);
    await expectFocusIndicator('the skip link');
    await page.keyboard.press('Enter');
    await expectFocus(page, main());
    await page.keyboard.press('Tab');
    await expectFocus(page, button('Create widget'));

    // The workspace menu opens with Enter, moves with the arrows, and Escape gives the focus back.
    const nav = page.getByRole('navigation', { name: 'Workspace' });
    const switcher = button(/Switch workspace/);
    await activate(switcher, { backwards: true });
    const menu = page.getByRole('menu');
    // The menu opens with its first item focused; the arrow moves on.
    await expectFocus(page, page.getByRole('menuitem', { name: /Acme/ }));
    await page.keyboard.press('ArrowDown');
    await expectFocus(page, page.getByRole('menuitem', { name: 'New workspace…' }));
    await page.keyboard.press('Escape');
    await expect.poll(() => menu.count()).toBe(0);
    await expectFocus(page, switcher);

    // Each page's h1 is its name in the navigation.
    for (const item of [
      'Announcements',
      'Segments',
      'Help center',
      'Users',
      'Analytics',
      'Workspace settings',
      'Team',
      'API keys',
      'Audit log',
      'Widgets',
    ]) {
      const target = nav.getByRole('link', { name: item, exact: true });
      // From the content back into the sidebar, as a keyboard user goes.
      await tabTo(page, target, { backwards: true });
      if (item === 'Announcements') await expectFocusIndicator('a navigation link');
      await page.keyboard.press('Enter');
      await expect.poll(() => heading().textContent(), { message: item }).toBe(item);
      await expectFocusInContent(item);
      expect(await target.getAttribute('aria-current')).toBe('page');
    }
  });

  it('creates a widget, copies its shown-once secret, and changes its settings', async () => {
    await openPage('widgets', 'Widgets');
    // Escape closes the dialog and the focus goes back to its button.
    const create = button('Create widget');
    await activate(create);
    const dialog = page.getByRole('dialog', { name: 'Create widget' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await expectFocus(page, create);

    await page.keyboard.press('Enter');
    await expectFocus(page, dialog.getByRole('textbox', { name: 'Name' }));
    await page.keyboard.type('Web app');
    await page.keyboard.press('Tab');
    await page.keyboard.type('https://app.example.com');
    await activate(dialog.getByRole('button', { name: 'Create widget' }));

    const shown = page.getByRole('dialog', { name: "Your widget's signing secret" });
    await expect.poll(() => shown.isVisible()).toBe(true);
    const secret = (await shown.getByLabel('Signing secret').textContent())!.trim();
    expect(secret).toMatch(/^lsk_/);
    await activate(shown.getByRole('button', { name: 'Copy secret' }));
    await expect.poll(() => shown.getByRole('button', { name: 'Copied' }).count()).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    // Shown once: Escape does not lose it; ticking the box by keyboard lets it close.
    await page.keyboard.press('Escape');
    expect(await shown.isVisible()).toBe(true);
    await tabTo(page, shown.getByRole('checkbox'));
    await page.keyboard.press('Space');
    await activate(shown.getByRole('button', { name: 'I have stored it' }));
    await page.waitForURL(/\/widgets\/wgt_/);
    const widgetId = /\/widgets\/(wgt_[^/?]+)/.exec(page.url())![1]!;
    await expect.poll(() => heading().textContent()).toBe('Web app');
    await expectFocusInContent('the new widget');

    // Tabs: the arrow keys move between them (and the URL keeps the one chosen).
    await tabTo(page, page.getByRole('tab', { name: 'Install' }));
    await arrowTo('ArrowRight', 'Signing code');
    await arrowTo('ArrowRight', 'Settings');
    await page.waitForURL(/tab=settings/);

    const origins = textbox('Allowed origins');
    await tabTo(page, origins);
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('https://admin.example.com');
    await choose(combobox('Verification mode'), 'Required — only signed identify accepted');
    await expectFocusIndicator('a select');
    const colour = page.getByLabel('Brand colour');
    await tabTo(page, colour);
    await expectFocusIndicator('the colour field');
    // The browser's picker popup is out of a page's reach: the code field next to it takes the colour.
    const code = textbox('Colour code');
    await tabTo(page, code);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('#0F766E');
    await choose(combobox('Launcher position'), 'Bottom left');
    const save = button('Save settings');
    await activate(save);
    // Tightening to required asks first; the keyboard confirms.
    const confirm = page.getByRole('alertdialog', { name: 'Require a signature for every identify?' });
    await expect.poll(() => confirm.isVisible()).toBe(true);
    const require = confirm.getByRole('button', { name: /^Require signatures/ });
    await expect.poll(() => require.isEnabled()).toBe(true);
    await activate(require);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Settings saved.' }).count()).toBe(1);
    await expectFocus(page, save);
    const saved = await api('GET', `/workspaces/${workspaceId}/widgets/${widgetId}`);
    expect(saved.body).toMatchObject({
      allowedOrigins: ['https://app.example.com', 'https://admin.example.com'],
      verificationMode: 'required',
      appearance: { color: '#0f766e', position: 'bottom-left' },
    });
  });

  it('creates a segment with one rule', async () => {
    await seedUsers();
    await openPage('segments', 'Segments');
    await activate(link('New segment'));
    await expect.poll(() => heading().textContent()).toBe('New segment');
    await tabTo(page, textbox('Name'));
    await page.keyboard.type(SEGMENT);
    await addRule(1, 'plan', 'is', 'pro');
    await expect.poll(() => page.getByTestId('audience-count').textContent(), { timeout: 10_000 }).toBe('1');
    // A second rule, removed again: the focus goes back to "Add rule", not to the page body.
    await activate(button('Add rule'));
    await expectFocus(page, combobox('Attribute of rule 2'));
    await activate(button('Remove rule 2'));
    await expect.poll(() => combobox('Attribute of rule 2').count()).toBe(0);
    await expectFocus(page, button('Add rule'));
    await activate(button('Create segment'));
    await page.waitForURL(/\/segments\/seg_/);
    await expect.poll(() => heading().textContent()).toBe(`Segment: ${SEGMENT}`);
    const segments = (await api('GET', `/workspaces/${workspaceId}/segments`)).body.segments as Array<{ name: string; condition: object }>;
    expect(segments).toEqual([expect.objectContaining({ name: SEGMENT, condition: { plan: 'pro' } })]);
  });

  it('writes, targets, schedules, previews and publishes an announcement', async () => {
    await openPage('announcements', 'Announcements');
    await activate(link('New announcement'));
    await expect.poll(() => heading().textContent()).toBe('New announcement');
    await choose(combobox('Appears as'), 'Banner');
    await tabTo(page, textbox('Title'));
    await page.keyboard.type(TITLE);
    await tabTo(page, textbox('Body (Markdown)'));
    await page.keyboard.type('Open **Reports** to see them.');
    // The Write and Preview tabs: back to the tab, the arrow shows the server's rendering.
    await tabTo(page, page.getByRole('tab', { name: 'Write' }), { backwards: true });
    await arrowTo('ArrowRight', 'Preview');
    await expect.poll(() => page.getByRole('tabpanel', { name: 'Preview' }).locator('strong').textContent()).toBe('Reports');
    await arrowTo('ArrowLeft', 'Write');
    await expect.poll(() => textbox('Body (Markdown)').inputValue()).toBe('Open **Reports** to see them.');

    await addRule(1, 'plan', 'is one of', 'pro, team');
    const count = page.getByTestId('audience-count');
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('1');
    // The same rule as JSON, and back.
    await tabTo(page, page.getByRole('tab', { name: 'Rules' }), { backwards: true });
    await arrowTo('ArrowRight', 'JSON');
    await tabTo(page, textbox('Condition as JSON'));
    expect(JSON.parse(await textbox('Condition as JSON').inputValue())).toEqual({ plan: { $in: ['pro', 'team'] } });
    await tabTo(page, page.getByRole('tab', { name: 'JSON' }), { backwards: true });
    await arrowTo('ArrowLeft', 'Rules');
    await expect.poll(() => textbox('Value of rule 1').inputValue()).toBe('pro, team');
    await choose(combobox('Segment'), SEGMENT);
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('1');

    const ends = page.getByLabel('Ends');
    await tabTo(page, ends);
    // Chrome's date field: month, day, year (up to six digits, so Tab moves on), then hour, minute, AM/PM.
    await page.keyboard.type('01012030');
    await page.keyboard.press('Tab');
    await page.keyboard.type('1000AM');
    await expect.poll(() => ends.inputValue()).toBe('2030-01-01T10:00');
    await choose(combobox('How often a user gets it'), 'Until dismissed');
    await activate(button('Show preview'));
    const preview = page.frameLocator('iframe[title^="Widget preview"]');
    await expect.poll(() => preview.getByRole('region', { name: TITLE }).isVisible(), { timeout: 10_000 }).toBe(true);
    // The preview sits after the form's Save row (beside it on a wide screen): back to Publish.
    await activate(button('Publish'), { backwards: true });
    await page.waitForURL(/\/announcements\/ann_/);
    await expect.poll(() => heading().textContent()).toBe(TITLE);
    await expect.poll(() => button('Unpublish (back to draft)').count()).toBe(1);
    await expectFocusInContent('the published announcement');
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('1');

    const id = /\/announcements\/(ann_[^/?]+)/.exec(page.url())![1]!;
    const saved = (await api('GET', `/workspaces/${workspaceId}/announcements/${id}`)).body;
    const segmentId = (await api('GET', `/workspaces/${workspaceId}/segments`)).body.segments[0].id;
    expect(saved).toMatchObject({
      kind: 'banner',
      title: TITLE,
      status: 'live',
      frequency: 'until_dismissed',
      endsAt: Date.UTC(2030, 0, 1, 10),
      audience: { condition: { plan: { $in: ['pro', 'team'] } }, segmentId },
    });
  });

  it('creates a help-center collection and publishes an article in it', async () => {
    await openPage('help', 'Help center');
    const newCollection = button('New collection');
    await activate(newCollection);
    const dialog = page.getByRole('dialog', { name: 'New collection' });
    await expectFocus(page, dialog.getByRole('textbox', { name: 'Name' }));
    await page.keyboard.type(COLLECTION);
    // Pinned: a switch, toggled with Space.
    const pinned = dialog.getByRole('switch', { name: 'Pinned' });
    await tabTo(page, pinned);
    await page.keyboard.press('Space');
    await expect.poll(() => pinned.getAttribute('aria-checked')).toBe('true');
    await activate(dialog.getByRole('button', { name: 'Create collection' }));
    await expect.poll(() => dialog.count()).toBe(0);
    await expectFocus(page, newCollection);
    await expect.poll(() => button(new RegExp(`^${COLLECTION}`)).count()).toBe(1);

    await activate(link('New article'), { backwards: true });
    await expect.poll(() => heading().textContent()).toBe('New article');
    await tabTo(page, textbox('Title'));
    await page.keyboard.type(ARTICLE);
    await choose(combobox('Collection'), COLLECTION);
    await choose(combobox('Status'), 'Published');
    await tabTo(page, textbox('Body (Markdown)'));
    await page.keyboard.type('Open **Billing**, then choose a month.');
    const preview = page.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.locator('strong').textContent(), { timeout: 10_000 }).toBe('Billing');
    // Tags: Enter or a comma adds one (Enter does not submit the form while a tag is typed); Backspace removes the last.
    await tabTo(page, combobox('Tags'));
    await page.keyboard.type('Invoices & Tax');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Billing,extra,');
    await page.keyboard.press('Backspace');
    const chips = page.getByRole('list', { name: 'Tags of this article' }).getByRole('listitem');
    await expect.poll(() => chips.allTextContents()).toEqual(['Invoices & Tax×', 'Billing×']);
    expect(page.url()).toMatch(/\/help\/articles\/new/);
    await activate(button('Create article'));
    await page.waitForURL(/\/help\/articles\/art_/);
    await expect.poll(() => heading().textContent()).toBe(ARTICLE);

    const articles = (await api('GET', `/workspaces/${workspaceId}/help/articles`)).body.articles as Array<Record<string, unknown>>;
    const collections = (await api('GET', `/workspaces/${workspaceId}/help/collections`)).body.collections as Array<{
      id: string;
      pinned: boolean;
    }>;
    expect(collections).toEqual([expect.objectContaining({ pinned: true })]);
    // The tags as saved: topic keys, shown again in the form.
    expect(articles).toEqual([
      expect.objectContaining({ title: ARTICLE, status: 'published', collectionId: collections[0]!.id, tags: ['invoices-tax', 'billing'] }),
    ]);
    await expect.poll(() => chips.allTextContents()).toEqual(['invoices-tax×', 'billing×']);
  });

  it('filters analytics (range, property, breakdown, verified only) and downloads the CSV', async () => {
    await openPage('analytics', 'Analytics');
    await choose(combobox('Date range'), 'Last 90 days');
    await page.waitForURL(/range=90/);
    await choose(combobox('Break down by'), 'Trust level');
    await page.waitForURL(/breakdown=trust/);
    const verified = page.getByRole('switch', { name: 'Verified users only' });
    await tabTo(page, verified);
    await expectFocusIndicator('a switch');
    await page.keyboard.press('Space');
    await expect.poll(() => verified.getAttribute('aria-checked')).toBe('true');
    // The property filter is the rule builder: its tabs are arrow keys apart, the JSON field a Tab away.
    await tabTo(page, page.getByRole('tab', { name: 'Rules' }));
    await page.keyboard.press('ArrowRight');
    await tabTo(page, textbox('Condition as JSON'));
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('{ "plan": "pro" }');
    await activate(button('Apply'));
    const view = () => new URL(page.url()).searchParams;
    await expect.poll(() => view().get('condition')).toBe('{"plan":"pro"}');
    expect(view().get('verified')).toBe('1');

    const csv = button('Download CSV');
    await tabTo(page, csv, { backwards: true });
    const download = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    expect((await download).suggestedFilename()).toMatch(/\.csv$/);
    // Busy while it downloads, the button kept the focus.
    await expectFocus(page, csv);
  });

  it('creates an invite link with a role, copies it, and Escape closes the dialogs', async () => {
    await openPage('team', 'Team');
    await choose(combobox('Role of the new member'), 'Admin');
    const create = button('Create invite link');
    await activate(create);
    const dialog = page.getByRole('dialog', { name: 'Invite link' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await activate(dialog.getByRole('button', { name: 'Copy link' }));
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toMatch(/\/app\/invite#token=/);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await expectFocus(page, create);
    const invites = (await api('GET', `/workspaces/${workspaceId}/invites`)).body.invites as Array<{ role: string }>;
    expect(invites.map((i) => i.role)).toEqual(['admin']);

    // A confirmation closes with Escape too, and nothing is revoked.
    const revoke = button(/^Revoke the admin invite/);
    await activate(revoke);
    const confirm = page.getByRole('alertdialog', { name: 'Revoke this invite?' });
    await expect.poll(() => confirm.isVisible()).toBe(true);
    await expectFocus(page, confirm.getByRole('button', { name: 'Cancel' }));
    await page.keyboard.press('Escape');
    await expect.poll(() => confirm.count()).toBe(0);
    await expectFocus(page, revoke);
    expect((await api('GET', `/workspaces/${workspaceId}/invites`)).body.invites).toHaveLength(1);
  });

  /** Ada (plan pro) and Grace (plan free), sent by the host's backend through the server API. */
  async function seedUsers() {
    const key = (await api('POST', `/workspaces/${workspaceId}/api-keys`, { name: 'seed' })).body.key as string;
    for (const [userId, name, plan] of [
      ['u_ada', 'Ada', 'pro'],
      ['u_grace', 'Grace', 'free'],
    ]) {
      const res = await fetch(`${lumio.url}/server/v1/users/${userId}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name, properties: { plan } }),
      });
      expect(res.status, await res.text()).toBe(200);
    }
  }
});
