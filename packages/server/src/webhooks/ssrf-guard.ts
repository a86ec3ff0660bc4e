import dns from 'node:dns';
import net from 'node:net';
import { LumioError } from '../errors/lumio-error.js';

/** The longest webhook URL accepted (a URL that long is a mistake or an attack, not an endpoint). */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** An address a webhook may be sent to, as resolved and checked before connecting. */
export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses (node:dns `lookup` with `all`; replaceable in tests). */
export type ResolveHost = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const systemResolve: ResolveHost = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** Options of the checks: `allowPrivate` is LUMIO_WEBHOOK_ALLOW_PRIVATE. */
export interface SsrfOptions {
  allowPrivate: boolean;
  resolve?: ResolveHost;
}

// [first address, prefix length, what it is]: the ranges a webhook may not reach
// (RFC 6890 special-purpose registries, less the globally reachable ones).
const V4_RANGES: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (CGNAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];
const V6_RANGES: Array<[string, number, string]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['fc00::', 7, 'private'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];
// IPv6 forms that carry an IPv4 address (judged by that address): IPv4-mapped,
// IPv4-compatible (deprecated), NAT64's well-known prefix, and 6to4.
const V4_CARRIERS: Array<{ prefix: string; bits: number; offset: number }> = [
  { prefix: '::ffff:0:0', bits: 96, offset: 12 },
  { prefix: '::', bits: 96, offset: 12 },
  { prefix: '64:ff9b::', bits: 96, offset: 12 },
  { prefix: '2002::', bits: 16, offset: 2 },
];

/**
 * Why an IP address may not receive webhooks (`"loopback"`, `"private"`, …),
 * or null when it may. IPv6 forms that embed an IPv4 address (IPv4-mapped,
 * NAT64, 6to4) are judged by the IPv4 address they lead to.
 */
export function forbiddenAddressReason(address: string): string | null {
  const family = net.isIP(address);
  if (family === 4) return rangeOf(v4Bytes(address), V4_RANGES, v4Bytes);
  if (family !== 6) return 'not an IP address';
  const bytes = v6Bytes(address);
  for (const carrier of V4_CARRIERS) {
    if (!inPrefix(bytes, v6Bytes(carrier.prefix), carrier.bits)) continue;
    const embedded = bytes.subarray(carrier.offset, carrier.offset + 4);
    // `::` and `::1` themselves are the IPv6 unspecified and loopback addresses, not IPv4 0.0.0.x.
    if (carrier.prefix === '::' && embedded.readUInt32BE(0) <= 1) break;
    const reason = rangeOf(embedded, V4_RANGES, v4Bytes);
    return reason ? `${reason} (IPv4 inside IPv6)` : null;
  }
  return rangeOf(bytes, V6_RANGES, v6Bytes);
}

/**
 * Checks a webhook URL when an endpoint is created or changed: http or https,
 * no credentials in it, at most {@link MAX_WEBHOOK_URL_LENGTH} characters, and
 * (unless `allowPrivate`) a host whose every address is public. Throws a
 * LumioError: `invalid_webhook_url`, `webhook_url_unresolvable` or
 * `webhook_url_forbidden`.
 *
 * @example await checkWebhookUrl('https://hooks.example.com/lumio', { allowPrivate: config.webhookAllowPrivate });
 */
export async function checkWebhookUrl(url: string, options: SsrfOptions): Promise<void> {
  const parsed = parseWebhookUrl(url);
  await resolveWebhookHost(parsed.hostname, options);
}

/** Parses a webhook URL, refusing what can never be sent to (see {@link checkWebhookUrl}). */
export function parseWebhookUrl(url: string): URL {
  const invalid = (why: string) => new LumioError('invalid_webhook_url', `The webhook URL ${why}.`, { field: 'url' });
  if (typeof url !== 'string' || url.length === 0) throw invalid('is missing');
  if (url.length > MAX_WEBHOOK_URL_LENGTH) throw invalid(`is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('is not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalid('must start with https:// or http://');
  // The URL is shown in the dashboard and logs: a password in it would be shown with it.
  if (parsed.username || parsed.password) throw invalid('must not contain a user name or password');
  if (!parsed.hostname) throw invalid('has no host');
  return parsed;
}

/**
 * Resolves a webhook host to the addresses to connect to, refusing the whole
 * host when any of its addresses is forbidden (unless `allowPrivate`): a name
 * that answers with one public and one private address could be steered to the
 * private one. The sender connects to the returned address only, so a DNS
 * answer that changes between this check and the connection (rebinding) is
 * never used.
 */
export async function resolveWebhookHost(hostname: string, options: SsrfOptions): Promise<CheckedAddress[]> {
  // URL keeps brackets around an IPv6 literal: [::1].
  const host = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  let addresses: CheckedAddress[];
  if (net.isIP(host)) {
    addresses = [{ address: host, family: net.isIP(host) as 4 | 6 }];
  } else {
    let found: Array<{ address: string; family: number }>;
    try {
      found = await (options.resolve ?? systemResolve)(host);
    } catch (error) {
      throw new LumioError(
        'webhook_url_unresolvable',
        `The webhook host ${host} does not resolve (${(error as { code?: string }).code ?? 'lookup failed'}).`,
        {
          field: 'url',
        },
      );
    }
    addresses = found.filter((a) => net.isIP(a.address)).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
    if (addresses.length === 0) {
      throw new LumioError('webhook_url_unresolvable', `The webhook host ${host} has no address.`, { field: 'url' });
    }
  }
  if (!options.allowPrivate) {
    for (const { address } of addresses) {
      const reason = forbiddenAddressReason(address);
      if (reason) {
        throw new LumioError(
          'webhook_url_forbidden',
          `The webhook host ${host} resolves to ${address}, a ${reason} address; webhooks go to public addresses only (an operator may allow private ones with LUMIO_WEBHOOK_ALLOW_PRIVATE=true).`,
          { field: 'url', address, reason },
        );
      }
    }
  }
  return addresses;
}

function rangeOf(bytes: Buffer, ranges: Array<[string, number, string]>, parse: (a: string) => Buffer): string | null {
  for (const [first, bits, reason] of ranges) if (inPrefix(bytes, parse(first), bits)) return reason;
  return null;
}

function inPrefix(bytes: Buffer, prefix: Buffer, bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const mask = 0x80 >> (i % 8);
    if ((bytes[i >> 3]! & mask) !== (prefix[i >> 3]! & mask)) return false;
  }
  return true;
}

function v4Bytes(address: string): Buffer {
  return Buffer.from(address.split('.').map(Number));
}

// Sixteen bytes of an IPv6 address (valid per net.isIP), with `::` and a trailing dotted quad.
function v6Bytes(address: string): Buffer {
  let text = address.split('%')[0]!.toLowerCase();
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad[1]!.split('.').map(Number) as [number, number, number, number];
    text = text.slice(0, -quad[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}
