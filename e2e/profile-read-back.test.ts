// Profiles as promised, in Chromium against a real `lumio start` and the
// example host app: a refused profile never costs a verified user their
// session or saved articles; the browser reads back only what it may
// (docs/identify.md); articles.feedback() is recorded as the widget records it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startHostApp } from '../examples/host-app/host-app.js';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { startLumio, type E2eServer } from './support/lumio-server.js';
import { freePort } from '../packages/server/src/test-support/server-process.js';

type HostApp = Awaited<ReturnType<typeof startHostApp>>;

describe.runIf(browserTestsEnabled())('profile read-back in Chromium', () => {
  let lumio: E2eServer;
  let browser: Browser;
  let host: HostApp;
  let widget: { id: string; secret: string };
  let apiKey: string;
  let article: { id: string; title: string };

  beforeAll(async () => {
    lumio = await startLumio();
    const port = await freePort();
    widget = await lumio.createWidget({ name: 'Acme app', allowedOrigins: [`http://127.0.0.1:${port}`] });
    apiKey = (await lumio.api('POST', `/api/v1/workspaces/${lumio.workspaceId}/api-keys`, { name: 'e2e' })).body.key;
    const collection = await lumio.api('POST', `/api/v1/workspaces/${lumio.workspaceId}/help/collections`, { name: 'Billing' });
    const created = await lumio.api('POST', `/api/v1/workspaces/${lumio.workspaceId}/help/articles`, {
      title: 'Change your plan',
      body: 'Open **Billing** and pick a plan.',
      collectionId: collection.body.id,
      status: 'published',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    article = { id: created.body.id, title: 'Change your plan' };
    host = await startHostApp({ lumioUrl: lumio.url, widgetId: widget.id, signingSecret: widget.secret, port });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await lumio?.stop();
  });

  const openPage = async () => {
    const page = await browser.newPage();
    const consoleLines: string[] = [];
    page.on('console', (message) => consoleLines.push(message.text()));
    await page.goto(`${host.origin}/login?user=`);
    await page.waitForFunction(() => (window as any).LumioWidget?.lumio);
    return { page, consoleLines };
  };
  const stateOf = (page: Page) => page.locator('#state').textContent();
  const signFor = async (userId: string) => (await import('@lumio/node')).signUserId(userId, widget.secret);
  const serverPut = async (userId: string, body: unknown) => {
    const res = await fetch(`${lumio.url}/server/v1/users/${encodeURIComponent(userId)}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  };
  /** The widget's Help tab, Saved articles list: the titles it shows. */
  const savedInWidget = async (page: Page) => {
    const close = page.getByRole('button', { name: 'Close news and help' });
    if (await close.isVisible()) await close.click();
    await page.getByRole('button', { name: 'News and help', exact: true }).click();
    await page.getByRole('tab', { name: 'Help' }).click();
    const help = page.getByRole('tabpanel', { name: 'Help' });
    const savedButton = help.getByRole('button', { name: 'Saved articles' });
    await expect.poll(() => savedButton.isVisible()).toBe(true);
    await savedButton.click();
    await expect.poll(() => help.getByRole('heading', { name: 'Saved articles' }).isVisible()).toBe(true);
    return help.getByRole('listitem').allTextContents();
  };

  it('keeps a verified user verified, with their saved articles, when a later identify carries an invalid profile field', async () => {
    const { page, consoleLines } = await openPage();
    const signature = await signFor('keeps-verified');
    const first = await page.evaluate(
      async ({ widgetId, signature, articleId }) => {
        const w = window as any;
        const outcome = await w.LumioWidget('identify', { userId: 'keeps-verified', signature, name: 'Kim' });
        const saved = await w.Lumio.createLumio({ widgetId }).articles.save(articleId);
        return { outcome, saved };
      },
      { widgetId: widget.id, signature, articleId: article.id },
    );
    expect(first).toEqual({ outcome: { ok: true, state: 'verified', userId: 'keeps-verified' }, saved: true });
    expect(await savedInWidget(page)).toEqual([expect.stringContaining(article.title)]);

    const second = await page.evaluate(
      async ({ widgetId, signature }) => {
        const w = window as any;
        const errors: Array<{ call: string; code: string; message: string }> = [];
        w.LumioWidget('on', 'error', (e: { call: string; code: string; message: string }) => errors.push(e));
        const outcome = await w.LumioWidget('identify', { userId: 'keeps-verified', signature, name: 'Kim 2', gender: 'robot' });
        const lumio = w.Lumio.createLumio({ widgetId });
        const saved = await lumio.articles.list({ limitToSaved: true });
        return {
          outcome,
          errors,
          state: lumio.user.state,
          saved: saved.map((a: { id: string }) => a.id),
          profile: await lumio.user.profile(),
        };
      },
      { widgetId: widget.id, signature },
    );
    expect(second.outcome).toMatchObject({
      ok: true,
      state: 'verified',
      userId: 'keeps-verified',
      profileErrors: [expect.objectContaining({ field: 'gender', code: 'invalid_profile' })],
    });
    expect(second.errors).toEqual([expect.objectContaining({ call: 'identify', code: 'invalid_profile' })]);
    expect(second.errors[0]!.message).toContain('gender');
    expect(consoleLines).toContainEqual(expect.stringMatching(/^Lumio: invalid_profile: .*gender/));
    expect(second.state).toBe('verified');
    expect(second.saved).toEqual([article.id]);
    // Refused as a whole: the valid name of the same call was not stored either.
    expect(second.profile).toMatchObject({ name: 'Kim' });
    expect(await stateOf(page)).toBe('verified');
    // The page's widget still shows the saved article.
    expect(await savedInWidget(page)).toEqual([expect.stringContaining(article.title)]);
    await page.close();
  });

  it('never hands the browser a value the server API set, until the workspace lists its key browser-visible', async () => {
    await serverPut('risk-user', { name: 'Rita Risk', properties: { internal_risk_score: 87 } });
    const { page } = await openPage();
    const signature = await signFor('risk-user');
    // The same engine as the snippet's (one engine per page), so the same verified session.
    const read = () => page.evaluate((widgetId) => (window as any).Lumio.createLumio({ widgetId }).user.profile(), widget.id);
    const before = await page.evaluate(
      async ({ widgetId, signature }) => {
        const w = window as any;
        const lumio = w.Lumio.createLumio({ widgetId });
        await lumio.user.identify('risk-user', { hmac: signature, profile: { traits: { theme: 'dark' } } });
        return lumio.user.profile();
      },
      { widgetId: widget.id, signature },
    );
    expect(before).toMatchObject({ name: 'Rita Risk', properties: { theme: 'dark' } });
    expect(before.properties).not.toHaveProperty('internal_risk_score');

    const listed = await lumio.api('PATCH', `/api/v1/workspaces/${lumio.workspaceId}/settings`, {
      browserVisibleKeys: ['internal_risk_score'],
    });
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    expect((await read()).properties).toEqual({ theme: 'dark', internal_risk_score: 87 });

    await lumio.api('PATCH', `/api/v1/workspaces/${lumio.workspaceId}/settings`, { browserVisibleKeys: [] });
    expect((await read()).properties).toEqual({ theme: 'dark' });
    await page.close();
  });

  it('records $article_rated from lumio.articles.feedback(), as the widget does', async () => {
    const { page } = await openPage();
    const signature = await signFor('rater');
    const sent = page.waitForRequest((r) => r.url().endsWith('/events') && (r.postData() ?? '').includes('$article_rated'), {
      timeout: 20_000,
    });
    const recorded = await page.evaluate(
      async ({ widgetId, signature, articleId }) => {
        const w = window as any;
        const lumio = w.Lumio.createLumio({ widgetId });
        await lumio.user.identify('rater', { hmac: signature });
        return lumio.articles.feedback(articleId, false);
      },
      { widgetId: widget.id, signature, articleId: article.id },
    );
    expect(recorded).toBe(true);
    const events = JSON.parse((await sent).postData()!).events as Array<{ name: string; props?: unknown }>;
    expect(events.filter((e) => e.name === '$article_rated').map((e) => e.props)).toEqual([{ articleId: article.id, helpful: false }]);
    await page.close();
  });
});
