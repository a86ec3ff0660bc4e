// The identify flow in a real browser: Debian's Chromium driven by
// playwright-core, a real `lumio start` on 127.0.0.1, and the example host app
// serving its page from another origin, exactly as a customer integrates.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_USERS, startHostApp } from '../examples/host-app/host-app.js';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { startLumio, type E2eServer } from './support/lumio-server.js';
import { freePort } from '../packages/server/src/test-support/server-process.js';

const OUTPUT = new URL('./output/', import.meta.url);
type HostApp = Awaited<ReturnType<typeof startHostApp>>;

describe.runIf(browserTestsEnabled())('identify in Chromium', () => {
  let lumio: E2eServer;
  let browser: Browser;
  let host: HostApp;
  let stranger: HostApp;
  let widget: { id: string; secret: string };
  let required: { id: string; secret: string };
  let apiKey: string;

  beforeAll(async () => {
    lumio = await startLumio();
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    widget = await lumio.createWidget({ name: 'Acme app', allowedOrigins: [origin] });
    required = await lumio.createWidget({ name: 'Acme strict', allowedOrigins: [origin], verificationMode: 'required' });
    apiKey = (await lumio.api('POST', `/api/v1/workspaces/${lumio.workspaceId}/api-keys`, { name: 'e2e' })).body.key;
    host = await startHostApp({ lumioUrl: lumio.url, widgetId: widget.id, signingSecret: widget.secret, port });
    // The same page from an origin the widget does not allow.
    stranger = await startHostApp({ lumioUrl: lumio.url, widgetId: widget.id, signingSecret: widget.secret });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await stranger?.close();
    await lumio?.stop();
  });

  const openPage = async (url: string) => {
    const page = await browser.newPage();
    const consoleLines: string[] = [];
    page.on('console', (message) => consoleLines.push(message.text()));
    await page.goto(url);
    return { page, consoleLines };
  };
  const stateOf = (page: Page) => page.locator('#state').textContent();
  const serverUser = async (userId: string) => {
    const response = await fetch(`${lumio.url}/server/v1/users/${encodeURIComponent(userId)}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const anonymousIdIn = (page: Page) => page.evaluate((key) => localStorage.getItem(key), `lumio_anon_${widget.id}`);

  it('replays the calls queued before widget.js loaded and verifies with the signature from the host server', async () => {
    const { page } = await openPage(`${host.origin}/login?user=ada`);
    await expect.poll(() => stateOf(page)).toBe('verified');
    // The snippet's stub was replaced by the real SDK, which ran init, on and identify in order.
    expect(await page.evaluate(() => (window as any).LumioWidget.lumio)).toBe(true);
    const user = await serverUser(DEMO_USERS.ada.userId);
    expect(user.body).toMatchObject({
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      trust: 'verified',
      properties: DEMO_USERS.ada.properties,
    });
    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: new URL('host-app-verified.png', OUTPUT).pathname });
    await page.close();
  });

  it('stays anonymous on a wrong signature, and on a required widget without one, with the code and a console hint', async () => {
    const { page, consoleLines } = await openPage(`${host.origin}/login?user=`);
    await page.waitForFunction(() => (window as any).LumioWidget?.lumio);
    const bad = await page.evaluate(() => (window as any).LumioWidget('identify', { userId: 'mallory', signature: '00'.repeat(32) }));
    expect(bad).toMatchObject({ ok: false, code: 'invalid_signature' });
    expect(await stateOf(page)).toBe('anonymous');
    expect(await page.locator('#error').textContent()).toBe('invalid_signature');
    expect(consoleLines).toContainEqual(expect.stringMatching(/^Lumio: invalid_signature: sign the userId on your server/));
    const strict = await page.evaluate(async (widgetId) => {
      // One engine per page: the snippet's engine (another widget) stops first.
      (window as any).LumioWidget('shutdown');
      const lumio = (window as any).Lumio.createLumio({ widgetId });
      const outcome = await lumio.user.identify('mallory');
      return { outcome, state: lumio.user.state };
    }, required.id);
    expect(strict).toMatchObject({ outcome: { ok: false, code: 'signature_required' }, state: 'anonymous' });
    expect(consoleLines).toContainEqual(expect.stringMatching(/^Lumio: signature_required:/));
    expect((await serverUser('mallory')).status).toBe(404);
    await page.close();
  });

  it('serves a call made right after identify only after identify has finished (as the server saw it)', async () => {
    const { page } = await openPage(`${host.origin}/login?user=`);
    await page.waitForFunction(() => (window as any).LumioWidget?.lumio);
    const me = await page.evaluate(async () => {
      const identity = await (await fetch('/api/lumio-identity?as=grace')).json();
      return identity;
    });
    expect(me.userId).toBeNull(); // signed out: the host server vouches for nobody
    const profile = await page.evaluate(
      async ({ widgetId, userId, signature }) => {
        const lumio = (window as any).Lumio.createLumio({ widgetId });
        void lumio.user.identify(userId, { hmac: signature, profile: { name: 'Order Test' } });
        return lumio.user.profile(); // issued at once, must be served after identify
      },
      { widgetId: widget.id, userId: 'order-test', signature: await signFor('order-test') },
    );
    expect(profile).toMatchObject({ name: 'Order Test' });
    // The server writes its log asynchronously: wait for the line of /me.
    const meArrivedIn = (lines: Array<Record<string, unknown>>) =>
      lines.findIndex((l) => l.msg === 'incoming request' && String((l.req as any)?.url).endsWith('/me'));
    await expect.poll(() => meArrivedIn(lumio.logLines())).toBeGreaterThan(-1);
    const lines = lumio.logLines();
    const meArrived = meArrivedIn(lines);
    const identifyIds = lines
      .filter((l) => l.msg === 'incoming request' && String((l.req as any)?.url).endsWith('/identify'))
      .map((l) => l.reqId);
    const lastIdentify = identifyIds.at(-1);
    const identifyDone = lines.findIndex((l) => l.msg === 'request completed' && l.reqId === lastIdentify);
    expect(identifyDone).toBeGreaterThan(-1);
    expect(identifyDone).toBeLessThan(meArrived);
    await page.close();
  });

  it('resetSession leaves no identity in the browser, and the next user inherits nothing', async () => {
    const { page } = await openPage(`${host.origin}/login?user=ada`);
    await expect.poll(() => stateOf(page)).toBe('verified');
    const adaAnon = await anonymousIdIn(page);
    await page.goto(`${host.origin}/login?user=`); // sign out: the page calls resetSession
    await page.waitForFunction(() => (window as any).LumioWidget?.lumio);
    await page.evaluate(() => (window as any).LumioWidget('resetSession'));
    const afterReset = await anonymousIdIn(page);
    expect(afterReset).not.toBe(adaAnon);
    const stored = await page.evaluate(() => ({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie }));
    expect(JSON.stringify(stored)).not.toMatch(/ada|demo-ada|lst1\./i);
    await page.goto(`${host.origin}/login?user=grace`);
    await expect.poll(() => stateOf(page)).toBe('verified');
    const profile = await page.evaluate(() => (window as any).LumioWidget('profile'));
    expect(profile).toMatchObject({ name: 'Grace Hopper', properties: DEMO_USERS.grace.properties });
    expect(profile.properties).not.toHaveProperty('seats');
    expect((await serverUser(DEMO_USERS.ada.userId)).body.name).toBe('Ada Lovelace');
    await page.close();
  });

  it('keeps the anonymous id across a reload, and refuses a page from an origin the widget does not allow', async () => {
    const { page } = await openPage(`${host.origin}/`);
    await page.waitForFunction(() => (window as any).LumioWidget?.lumio);
    await page.evaluate(() => (window as any).LumioWidget('profile'));
    const before = await anonymousIdIn(page);
    await page.reload();
    await page.waitForFunction(() => (window as any).LumioWidget?.lumio);
    expect(await anonymousIdIn(page)).toBe(before);
    await page.close();

    const other = await openPage(`${stranger.origin}/login?user=ada`);
    await expect.poll(() => other.page.locator('#error').textContent()).toBe('widget_origin_not_allowed');
    expect(await stateOf(other.page)).toBe('anonymous');
    expect(other.consoleLines).toContainEqual(expect.stringMatching(/^Lumio: widget_origin_not_allowed: add this page's origin/));
    await other.page.close();
  });

  it('still verifies when the browser blocks site data, keeping the anonymous id in memory only', async () => {
    const context = await browser.newContext();
    // What Chromium does under "block sites from saving data": reading localStorage throws
    // a SecurityError and cookies are neither stored nor readable.
    await context.addInitScript(() => {
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('Access is denied for this document.', 'SecurityError');
        },
      });
      Object.defineProperty(Document.prototype, 'cookie', { get: () => '', set: () => undefined });
    });
    const page = await context.newPage();
    const consoleLines: string[] = [];
    page.on('console', (message) => consoleLines.push(message.text()));
    // The anonymous id as the server receives it when a session starts.
    const sessionIds: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/session')) sessionIds.push(request.postDataJSON().anonymousId);
    });
    await page.goto(`${host.origin}/login?user=grace`);
    await expect.poll(() => stateOf(page)).toBe('verified');
    expect(sessionIds).toEqual([expect.stringMatching(/^anon_/)]);
    expect(consoleLines.filter((line) => line.startsWith('Lumio:'))).toEqual([]);
    // Nothing survives the page: a reload starts with a new anonymous id, and verifies again.
    await page.reload();
    await expect.poll(() => stateOf(page)).toBe('verified');
    expect(sessionIds).toHaveLength(2);
    expect(sessionIds[1]).not.toBe(sessionIds[0]);
    await context.close();
  });

  it('gives the same results through the object client and the command queue', async () => {
    const { page } = await openPage(`${host.origin}/login?user=`);
    await page.waitForFunction(() => (window as any).LumioWidget?.lumio);
    const signature = await signFor('same-both-ways');
    const results = await page.evaluate(
      async ({ widgetId, signature }) => {
        const viaQueue = await (window as any).LumioWidget('identify', {
          userId: 'same-both-ways',
          signature,
          properties: { plan: 'team' },
        });
        const queueProfile = await (window as any).LumioWidget('profile');
        await (window as any).LumioWidget('resetSession');
        const lumio = (window as any).Lumio.createLumio({ widgetId });
        const viaObject = await lumio.user.identify('same-both-ways', { hmac: signature, profile: { traits: { plan: 'team' } } });
        return { viaQueue, viaObject, queueProfile, objectProfile: await lumio.user.profile() };
      },
      { widgetId: widget.id, signature },
    );
    expect(results.viaObject).toEqual(results.viaQueue);
    expect(results.viaQueue).toEqual({ ok: true, state: 'verified', userId: 'same-both-ways' });
    expect(results.objectProfile).toEqual(results.queueProfile);
    await page.close();
  });

  it('runs one engine per page: the object client and the snippet never disagree about who is signed in', async () => {
    const { page } = await openPage(`${host.origin}/login?user=`);
    await page.waitForFunction(() => (window as any).LumioWidget?.lumio);
    const seen = await page.evaluate(
      async ({ widgetId, otherWidgetId, first, second }) => {
        const w = window as any;
        const snippetHeard: string[] = [];
        w.LumioWidget('on', 'identify', (e: { userId: string }) => snippetHeard.push(e.userId));
        await w.LumioWidget('identify', { userId: 'one-engine-a', signature: first });
        const lumio = w.Lumio.createLumio({ widgetId });
        const afterSnippet = [lumio.user.state, lumio.user.userId];
        await lumio.user.identify('one-engine-b', { hmac: second });
        let refused = '';
        try {
          w.Lumio.createLumio({ widgetId: otherWidgetId });
        } catch (error) {
          refused = (error as Error).message;
        }
        return {
          afterSnippet,
          afterObject: [lumio.user.state, lumio.user.userId],
          snippetHeard,
          refused,
        };
      },
      { widgetId: widget.id, otherWidgetId: required.id, first: await signFor('one-engine-a'), second: await signFor('one-engine-b') },
    );
    expect(seen.afterSnippet).toEqual(['verified', 'one-engine-a']);
    expect(seen.afterObject).toEqual(['verified', 'one-engine-b']);
    // The snippet's listeners heard the object client's identify: they follow the same engine.
    expect(seen.snippetHeard).toEqual(['one-engine-a', 'one-engine-b']);
    // The host page's own display (a snippet listener) agrees.
    await expect.poll(() => stateOf(page)).toBe('verified');
    expect(seen.refused).toMatch(/one engine per page/);
    await page.close();
  });

  async function signFor(userId: string): Promise<string> {
    const { signUserId } = await import('@lumio/node');
    return signUserId(userId, widget.secret);
  }
});
