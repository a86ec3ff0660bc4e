// Companies from the browser: the real widget.js in Chromium, on the example
// host app's page, identifies with a company; the server API then reads what
// was stored and with which source (docs/companies.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { signIdentityToken, signUserId } from '@lumio/node';
import { startHostApp } from '../examples/host-app/host-app.js';
import { browserTestsEnabled, launchChromium } from './support/browser.js';
import { startLumio, type E2eServer } from './support/lumio-server.js';
import { freePort } from '../packages/server/src/test-support/server-process.js';

type HostApp = Awaited<ReturnType<typeof startHostApp>>;

describe.runIf(browserTestsEnabled())('companies from the browser in Chromium', () => {
  let lumio: E2eServer;
  let browser: Browser;
  let host: HostApp;
  let widget: { id: string; secret: string; keyId: string };
  let apiKey: string;

  beforeAll(async () => {
    lumio = await startLumio();
    const port = await freePort();
    const created = await lumio.api('POST', `/api/v1/workspaces/${lumio.workspaceId}/widgets`, {
      name: 'Acme app',
      allowedOrigins: [`http://127.0.0.1:${port}`],
    });
    widget = { id: created.body.id, secret: created.body.signingSecret.secret, keyId: created.body.signingSecret.keyId };
    apiKey = (await lumio.api('POST', `/api/v1/workspaces/${lumio.workspaceId}/api-keys`, { name: 'e2e' })).body.key;
    host = await startHostApp({ lumioUrl: lumio.url, widgetId: widget.id, signingSecret: widget.secret, port });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await lumio?.stop();
  });

  const server = async (path: string) => {
    const response = await fetch(`${lumio.url}/server/v1${path}`, { headers: { authorization: `Bearer ${apiKey}` } });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  it("stores a signed identify's company as a claim and a token's as trusted; a bad one refuses the profile only", async () => {
    const page = await browser.newPage();
    await page.goto(`${host.origin}/login?user=`);
    await page.waitForFunction(() => (window as any).LumioWidget?.lumio);

    const signed = await page.evaluate(
      (signature) =>
        (window as any).LumioWidget('identify', {
          userId: 'e2e-company-user',
          signature,
          company: { id: 'acme', name: 'Acme', properties: { plan: 'pro', seats: 12 } },
        }),
      signUserId('e2e-company-user', widget.secret),
    );
    expect(signed).toMatchObject({ ok: true, state: 'verified' });
    const company = await server('/companies/acme');
    expect(company.body).toMatchObject({
      name: 'Acme',
      properties: { plan: 'pro', seats: 12 },
      sources: { name: 'claimed', 'properties.plan': 'claimed' },
      memberCount: 1,
    });

    const token = await signIdentityToken(
      { userId: 'e2e-company-user', companies: [{ id: 'acme', properties: { plan: 'enterprise' } }] },
      widget.secret,
      widget.keyId,
    );
    expect(
      await page.evaluate((t) => (window as any).LumioWidget('identify', { userId: 'e2e-company-user', token: t }), token),
    ).toMatchObject({ ok: true });
    expect((await server('/companies/acme')).body.sources['properties.plan']).toBe('trusted');
    const exported = await server('/users/e2e-company-user/export');
    expect(exported.body.companies).toEqual([expect.objectContaining({ companyId: 'acme', source: 'trusted' })]);

    const bad = await page.evaluate(
      (signature) => (window as any).LumioWidget('identify', { userId: 'e2e-company-user', signature, company: { id: '' } }),
      signUserId('e2e-company-user', widget.secret),
    );
    expect(bad).toMatchObject({ ok: true, state: 'verified', profileErrors: [{ field: 'company.id', code: 'invalid_company' }] });
    await page.close();
  }, 120_000);
});
