// One way to write a rule, end to end: a real `lumio start` in demo mode,
// where Ada (plan pro) and Grace (plan free) sign in verified on the demo host
// app. In the Users filter, the Analytics property filter and an article's
// audience, a rule is built with the rule builder and seen applied (the list
// filtered, the figures filtered, the article hidden from or shown to Ada in
// the widget); a wrong rule (JSON that does not parse, an unknown operator, a
// value of the wrong kind, an unknown segment only the server knows of) shows
// a plain, located message and never the engine's `Unexpected token`. Each
// page is checked by axe and photographed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { screenshot, seriousAxeViolations } from './support/dashboard-checks.js';
import { signedInOwner } from './support/dashboard-sign-in.js';
import { startLumio, type E2eServer } from './support/lumio-server.js';

const ARTICLE = 'Pro analytics guide';

describe.runIf(browserTestsEnabled())('the rule builder in Users, Analytics and article audience, in Chromium', () => {
  let lumio: E2eServer;
  let browser: Browser;
  let demoWorkspace: string;
  let articleId: string;
  let page: Page;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    lumio = await startLumio();
    browser = await launchChromium();
    demoWorkspace = await lumio.demoWorkspaceId();
    const res = await lumio.api('POST', `/api/v1/workspaces/${demoWorkspace}/help/articles`, {
      title: ARTICLE,
      body: 'Read your dashboards like a pro: cohorts, funnels and spreadsheets.',
      status: 'published',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    articleId = res.body.id;
    // Ada and Grace each open the widget once: two users, two `$widget_opened` events.
    for (const user of ['ada', 'grace'] as const) {
      const visitor = await demoPage(user);
      await visitor.getByRole('button', { name: /open messages/i }).click();
      await visitor.getByRole('tab', { name: 'Help' }).click();
      // Leaving the page sends what is queued (fetch keepalive on pagehide).
      await visitor.goto('about:blank');
    }
    page = await signedInOwner(browser, lumio.url);
  }, 90_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await lumio?.stop();
  });

  async function demoPage(user: 'ada' | 'grace'): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    const visitor = await context.newPage();
    await visitor.goto(`${lumio.url}/demo/login?user=${user}`);
    // Not expect.poll: this runs in beforeAll too, outside a test.
    await visitor.waitForFunction(() => document.querySelector('#state')?.textContent === 'verified', null, { timeout: 15_000 });
    return visitor;
  }
  const ws = (path: string) => `${lumio.url}/app/w/${demoWorkspace}/${path}`;
  const checkPage = async (name: string) => {
    await screenshot(page, name);
    expect(await seriousAxeViolations(page), `axe on ${name}`).toEqual([]);
  };
  /** Builds `attribute is value` as the first row of the builder inside `scope`. */
  const buildRule = async (scope: Locator, attribute: string, value: string) => {
    await scope.getByRole('tab', { name: 'Rules' }).click();
    await scope.getByRole('button', { name: 'Add rule' }).click();
    await scope.getByRole('combobox', { name: 'Attribute of rule 1' }).fill(attribute);
    await scope.getByLabel('Value of rule 1').fill(value);
  };
  const typeJson = async (scope: Locator, text: string) => {
    await scope.getByRole('tab', { name: 'JSON' }).click();
    await scope.getByLabel('Condition as JSON').fill(text);
  };
  /** The builder's message (role alert), once shown; it must be located and plain. */
  const message = async (scope: Locator) => {
    const alert = scope.getByRole('alert').first();
    await expect.poll(() => alert.isVisible()).toBe(true);
    const text = (await alert.textContent()) ?? '';
    expect(text).not.toMatch(/Unexpected token|JSON\.parse|SyntaxError/);
    return text;
  };
  /** A wrong rule of each kind shows its located message in `scope`. */
  const wrongRules = async (scope: Locator) => {
    await typeJson(scope, '{\n  "plan": pro\n}');
    expect(await message(scope)).toContain(
      'This is not valid JSON. Line 2, column 11: expected a value (text in double quotes, a number, true, false, null, a list [ … ] or an object { … }), but found pro.',
    );
    await typeJson(scope, '{ plan: "pro" }');
    expect(await message(scope)).toContain('Line 1, column 3: expected a name in double quotes, such as "plan", but found plan.');
    await typeJson(scope, '{\n  "plan": { "$eqq": "pro" }\n}');
    expect(await message(scope)).toMatch(/Line 2, column 13 \(plan\.\$eqq\): \$eqq is not an operator/);
    await typeJson(scope, '{ "seats": { "$type": "integer" } }');
    expect(await message(scope)).toMatch(
      /Line 1, column 14 \(seats\.\$type\): \$type takes one of string, number, boolean, array, object, null\./,
    );
  };

  /** Applying a wrong rule says so and leaves the address (the applied filter) as it was. */
  const refusedToApply = async (apply: Locator, notice: Locator) => {
    const before = page.url();
    await apply.click();
    await expect.poll(() => notice.isVisible()).toBe(true);
    expect(page.url()).toBe(before);
  };

  it('filters the Users list with a rule built in the builder, keeps it in a shareable link, and explains wrong rules', async () => {
    await page.goto(ws('users'));
    const rows = page.locator('table tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    const filter = page.getByRole('form', { name: 'Filter by condition' });
    await buildRule(filter, 'plan', 'pro');
    // The attribute is suggested from the property catalogue (demo users carry plan and seats).
    const suggested = await filter
      .getByRole('combobox', { name: 'Attribute of rule 1' })
      .evaluate((input) => Array.from((input as HTMLInputElement).list?.options ?? [], (option) => option.value));
    expect(suggested).toEqual(expect.arrayContaining(['plan', 'seats', 'email', 'trust']));
    await filter.getByRole('button', { name: 'Apply filter' }).click();
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining('demo-ada')]);
    expect(new URL(page.url()).searchParams.get('condition')).toBe('{"plan":"pro"}');
    await checkPage('users-rule-builder');

    // The link alone brings the same filter back, its rule in the rows.
    await page.goto(page.url());
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining('demo-ada')]);
    expect(await filter.getByRole('combobox', { name: 'Attribute of rule 1' }).inputValue()).toBe('plan');
    expect(await filter.getByLabel('Value of rule 1').inputValue()).toBe('pro');

    await wrongRules(filter);
    await refusedToApply(filter.getByRole('button', { name: 'Apply filter' }), filter.getByText('Fix the condition above to apply it.'));
    await checkPage('users-rule-builder-wrong');

    // Only the server knows which segments exist: its located message shows in the same place.
    await typeJson(filter, '{ "$segment": "seg_missing" }');
    await filter.getByRole('button', { name: 'Apply filter' }).click();
    expect(await message(filter)).toMatch(/Line 1, column 3 \(\$segment\): .*seg_missing/);
  }, 60_000);

  it('filters the Analytics figures with a rule built in the builder and explains wrong rules', async () => {
    await page.goto(ws('analytics?event=%24widget_opened'));
    const totals = page.locator('.analytics-totals');
    await expect.poll(() => totals.textContent(), { timeout: 20_000 }).toMatch(/2 events by 2 people/);
    const bar = page.getByRole('form', { name: 'Report filters' });
    await buildRule(bar, 'plan', 'pro');
    await bar.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => totals.textContent(), { timeout: 20_000 }).toMatch(/1 events? by 1 (person|people)/);
    expect(new URL(page.url()).searchParams.get('condition')).toBe('{"plan":"pro"}');
    await checkPage('analytics-rule-builder');
    // Shared by its link: the same figures and the rule in the rows.
    await page.goto(page.url());
    await expect.poll(() => totals.textContent(), { timeout: 20_000 }).toMatch(/1 events? by 1 (person|people)/);
    expect(await bar.getByLabel('Value of rule 1').inputValue()).toBe('pro');

    await wrongRules(bar);
    await refusedToApply(bar.getByRole('button', { name: 'Apply' }), bar.getByText('Fix the property filter above to apply it.'));
    await checkPage('analytics-rule-builder-wrong');
  }, 60_000);

  it('saves an article audience built in the builder, enforces it in the widget, and explains wrong rules', async () => {
    const findsArticle = async () => {
      const ada = await demoPage('ada');
      await ada.getByRole('button', { name: /open messages/i }).click();
      await ada.getByRole('tab', { name: 'Help' }).click();
      await ada.getByRole('searchbox', { name: 'Search help articles' }).pressSequentially('cohorts', { delay: 10 });
      await ada.waitForTimeout(1_500);
      await ada.waitForLoadState('networkidle');
      return ada.getByRole('button', { name: ARTICLE }).count();
    };
    const audience = async () =>
      (await lumio.api('GET', `/api/v1/workspaces/${demoWorkspace}/help/articles/${articleId}`)).body.audience as unknown;

    await page.goto(ws(`help/articles/${articleId}`));
    const section = page.getByRole('group', { name: 'Audience' });
    await buildRule(section, 'plan', 'enterprise');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(audience).toEqual({ condition: { plan: 'enterprise' }, properties: 'all' });
    // The editor stays on the saved rule (a refetch after the save once broke the page).
    expect(await section.getByLabel('Value of rule 1').inputValue()).toBe('enterprise');
    await checkPage('article-audience-rule-builder');
    // Ada is on pro: the article is hidden from her, then shown once the audience says pro.
    expect(await findsArticle()).toBe(0);
    await section.getByLabel('Value of rule 1').fill('pro');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(audience).toEqual({ condition: { plan: 'pro' }, properties: 'all' });
    expect(await findsArticle()).toBe(1);

    await wrongRules(section);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => section.getByText('Fix the audience above to save.').isVisible()).toBe(true);
    expect(await audience()).toEqual({ condition: { plan: 'pro' }, properties: 'all' });
    await checkPage('article-audience-rule-builder-wrong');

    // The server's own refusal (a segment that does not exist) shows located beside the audience.
    await typeJson(section, '{ "$segment": "seg_missing" }');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    expect(await message(section)).toMatch(/Line 1, column 3 \(\$segment\): .*seg_missing/);
    expect(await audience()).toEqual({ condition: { plan: 'pro' }, properties: 'all' });
  }, 90_000);
});
