import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LumioError } from '../errors/lumio-error.js';
import { checkWebhookUrl, forbiddenAddressReason, resolveWebhookHost } from './ssrf-guard.js';
import { sendWebhook } from './webhook-sender.js';
import { startWebhookReceiver, type WebhookReceiver } from '../test-support/webhook-receiver.js';

const FORBIDDEN: Array<[string, string]> = [
  ['127.0.0.1', 'loopback'],
  ['127.255.0.9', 'loopback'],
  ['10.1.2.3', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.1.1', 'private'],
  ['169.254.169.254', 'link-local'],
  ['100.64.0.1', 'shared (CGNAT)'],
  ['100.127.255.254', 'shared (CGNAT)'],
  ['0.0.0.0', 'unspecified'],
  ['224.0.0.251', 'multicast'],
  ['255.255.255.255', 'reserved'],
  ['::1', 'loopback'],
  ['::', 'unspecified'],
  ['fc00::1', 'private'],
  ['fd12:3456::1', 'private'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['ff02::1', 'multicast'],
  ['::ffff:127.0.0.1', 'loopback (IPv4 inside IPv6)'],
  ['::ffff:7f00:1', 'loopback (IPv4 inside IPv6)'],
  ['::ffff:169.254.169.254', 'link-local (IPv4 inside IPv6)'],
  ['::ffff:10.0.0.1', 'private (IPv4 inside IPv6)'],
  ['64:ff9b::a00:1', 'private (IPv4 inside IPv6)'],
  ['2002:c0a8:101::1', 'private (IPv4 inside IPv6)'],
];
const ALLOWED = [
  '93.184.216.34',
  '8.8.8.8',
  '172.32.0.1',
  '172.15.255.255',
  '100.128.0.1',
  '192.169.0.1',
  '2606:4700::1111',
  '::ffff:8.8.8.8',
  '2002:808:808::1',
];

describe('forbiddenAddressReason', () => {
  it.each(FORBIDDEN)('refuses %s as %s', (address, reason) => {
    expect(forbiddenAddressReason(address)).toBe(reason);
  });
  it.each(ALLOWED)('allows the public address %s', (address) => {
    expect(forbiddenAddressReason(address)).toBeNull();
  });
});

describe('checkWebhookUrl', () => {
  const refused = async (url: string, allowPrivate = false) => {
    const error = await checkWebhookUrl(url, { allowPrivate }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LumioError);
    return error as LumioError;
  };

  it('refuses other schemes, credentials, overlong and malformed URLs with invalid_webhook_url', async () => {
    for (const url of [
      'ftp://example.com/x',
      'file:///etc/passwd',
      'https://user:pw@example.com/',
      'https://:pw@example.com/',
      'not a url',
      '',
      `https://example.com/${'a'.repeat(2050)}`,
    ]) {
      expect((await refused(url, true)).code, url).toBe('invalid_webhook_url');
    }
  });

  it('refuses IP literals of forbidden ranges, bracketed IPv6 included, unless private addresses are allowed', async () => {
    for (const url of [
      'http://127.0.0.1:8080/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'https://169.254.169.254/latest/meta-data',
      'http://0x7f000001/',
      'http://2130706433/',
    ]) {
      expect((await refused(url)).code, url).toBe('webhook_url_forbidden');
      await expect(checkWebhookUrl(url, { allowPrivate: true }), url).resolves.toBeUndefined();
    }
  });

  it('resolves localhost for real and refuses it without the setting', async () => {
    const error = await refused('http://localhost:9/hooks');
    expect(error.code).toBe('webhook_url_forbidden');
    expect(error.message).toMatch(/localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
    await expect(checkWebhookUrl('http://localhost:9/hooks', { allowPrivate: true })).resolves.toBeUndefined();
  });

  it('refuses a host when any of its addresses is forbidden, and one that does not resolve', async () => {
    const resolve = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
    expect((await checkWebhookUrl('https://mixed.example/', { allowPrivate: false, resolve }).catch((e: LumioError) => e))!.code).toBe(
      'webhook_url_forbidden',
    );
    await expect(
      checkWebhookUrl('https://public.example/', { allowPrivate: false, resolve: async () => [{ address: '93.184.216.34', family: 4 }] }),
    ).resolves.toBeUndefined();
    expect((await refused('https://no-such-host.invalid/')).code).toBe('webhook_url_unresolvable');
  });
});

describe('sendWebhook connects to the checked address only', () => {
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => receiver?.close());

  it('uses the address the check resolved, never a second DNS answer (rebinding)', async () => {
    const port = new URL(receiver.url).port;
    // A name the system cannot resolve: reaching the receiver proves the connection used the checked answer.
    let lookups = 0;
    const resolve = async () => {
      lookups++;
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const sent = await sendWebhook(`http://hooks.invalid:${port}/hooks`, { 'content-type': 'application/json' }, '{}', {
      allowPrivate: true,
      resolve,
    });
    expect(sent).toMatchObject({ ok: true, status: 200 });
    expect(lookups).toBe(1);
    expect(receiver.receipts.at(-1)!.headers.host).toBe(`hooks.invalid:${port}`);
  });

  it('refuses, without connecting, a name that resolves to a private address when they are not allowed', async () => {
    const before = receiver.receipts.length;
    const port = new URL(receiver.url).port;
    const sent = await sendWebhook(`http://rebind.example:${port}/hooks`, {}, '{}', {
      allowPrivate: false,
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    expect(sent).toMatchObject({ ok: false, status: null, final: true });
    expect(sent.error).toMatch(/rebind\.example resolves to 127\.0\.0\.1, a loopback address/);
    expect(receiver.receipts.length).toBe(before);
  });

  it('reads no more than a small part of an answer that never ends', async () => {
    const endless = http.createServer((_request, response) => {
      response.writeHead(500);
      const chunk = Buffer.alloc(16 * 1024, 'x');
      const pump = () => {
        while (response.write(chunk));
        response.once('drain', pump);
      };
      pump();
    });
    await new Promise<void>((resolve) => endless.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = endless.address() as AddressInfo;
      const sent = await sendWebhook(`http://127.0.0.1:${port}/`, {}, '{}', { allowPrivate: true, timeoutMs: 5000 });
      // Ended by the cap, not by the timeout.
      expect(sent).toMatchObject({ ok: false, status: 500 });
      expect(sent.error).toMatch(/^HTTP 500: x+$/);
      expect(sent.error!.length).toBeLessThanOrEqual(320);
    } finally {
      endless.closeAllConnections();
      endless.close();
    }
  });

  it('does not follow a redirect', async () => {
    const port = new URL(receiver.url).port;
    receiver.answer = () => 302;
    const sent = await sendWebhook(`http://127.0.0.1:${port}/hooks`, {}, '{}', { allowPrivate: true });
    receiver.answer = () => 200;
    expect(sent).toMatchObject({ ok: false, status: 302, final: false });
    expect(sent.error).toContain('redirects are not followed');
  });
});
