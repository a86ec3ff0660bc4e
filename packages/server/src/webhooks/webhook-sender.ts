import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { LumioError } from '../errors/lumio-error.js';
import { parseWebhookUrl, resolveWebhookHost, type CheckedAddress, type ResolveHost } from './ssrf-guard.js';

/** How long one delivery may take, connecting through reading the answer's status, before it is cut off and retried. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** How much of a receiver's answer is read (for the delivery log); the rest is never read. */
export const WEBHOOK_RESPONSE_CAP_BYTES = 1024;

/** What one attempt came to. */
export interface SendResult {
  /** A 2xx answer. */
  ok: boolean;
  /** The receiver's HTTP status, null when none came (refused, unreachable, timed out). */
  status: number | null;
  /** Why it failed, for the delivery log; null on success. */
  error: string | null;
  /** A failure no retry can fix (an address webhooks may not reach, an unusable URL): the delivery fails now. */
  final: boolean;
}

/** Options of {@link sendWebhook}. */
export interface SendOptions {
  allowPrivate: boolean;
  timeoutMs?: number;
  /** Aborts the attempt (shutdown); it then counts as not made. */
  signal?: AbortSignal;
  resolve?: ResolveHost;
}

/**
 * POSTs one delivery. The host is resolved and checked first (ssrf-guard.ts)
 * and the connection goes to the checked address only; redirects are not
 * followed (a 3xx is a failure); at most {@link WEBHOOK_RESPONSE_CAP_BYTES}
 * of the answer are read; the whole exchange is cut off after the timeout.
 * Never throws: every outcome is a {@link SendResult}.
 */
export async function sendWebhook(url: string, headers: Record<string, string>, body: string, options: SendOptions): Promise<SendResult> {
  let target: URL;
  let addresses: CheckedAddress[];
  try {
    target = parseWebhookUrl(url);
    addresses = await resolveWebhookHost(target.hostname, options);
  } catch (error) {
    if (error instanceof LumioError) {
      // A host that does not resolve now may resolve later; a refused address or URL never will.
      return { ok: false, status: null, error: error.message, final: error.code !== 'webhook_url_unresolvable' };
    }
    return { ok: false, status: null, error: describe(error), final: false };
  }
  return post(target, addresses, headers, body, options);
}

function post(
  target: URL,
  addresses: CheckedAddress[],
  headers: Record<string, string>,
  body: string,
  options: SendOptions,
): Promise<SendResult> {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  // The checked addresses, never a second DNS answer (rebinding between check and connect).
  const lookup = ((_host: string, lookupOptions: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (lookupOptions.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  }) as unknown as LookupFunction;
  const payload = Buffer.from(body, 'utf8');
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      request.destroy();
      resolve(result);
    };
    const request = (target.protocol === 'https:' ? https : http).request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(payload.length) },
        // A fresh connection each time: a pooled socket would skip the address check of this attempt.
        agent: false,
        lookup,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const text = Buffer.concat(chunks).subarray(0, WEBHOOK_RESPONSE_CAP_BYTES).toString('utf8');
          if (status >= 200 && status < 300) return finish({ ok: true, status, error: null, final: false });
          const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
          finish({ ok: false, status, error: `HTTP ${status}${redirect}${text ? `: ${printable(text)}` : ''}`, final: false });
        };
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= WEBHOOK_RESPONSE_CAP_BYTES) done();
        });
        response.on('end', done);
        response.on('error', done);
      },
    );
    const timer = setTimeout(
      () => finish({ ok: false, status: null, error: `No answer within ${timeoutMs / 1000} s (timed out)`, final: false }),
      timeoutMs,
    );
    const onAbort = () => finish({ ok: false, status: null, error: 'Stopped: the server shut down', final: false });
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort);
    request.on('error', (error) => finish({ ok: false, status: null, error: describe(error), final: false }));
    request.end(payload);
  });
}

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return printable(e.code ? `${e.code}: ${e.message ?? ''}` : (e.message ?? String(error)));
}

// What the delivery log keeps of a receiver's words: one line of printable text, short.
function printable(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .trim()
    .slice(0, 300);
}
