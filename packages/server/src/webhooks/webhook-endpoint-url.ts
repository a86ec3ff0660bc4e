import { WEBHOOK_ENDPOINT_LIMITS } from '@lumio/protocol';
import { LumioError } from '../errors/lumio-error.js';

/**
 * Checks the form of a webhook URL and answers it normalised (WHATWG URL:
 * lower-case scheme and host, punycode, default port dropped, no fragment):
 * http or https only, no user:password (a credential would sit in the
 * database and the logs in clear), at most 2048 characters. Whether the host
 * may be reached (SSRF) is the caller's second check.
 */
export function normalizeWebhookUrl(raw: string): string {
  const refuse = (reason: string) =>
    new LumioError('invalid_webhook_url', `The webhook URL is not usable: ${reason}.`, { field: 'url', reason });
  const text = raw.trim();
  if (text.length > WEBHOOK_ENDPOINT_LIMITS.urlLength) throw refuse('longer than 2048 characters');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refuse('not an absolute URL (https://…)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse('the scheme must be http or https');
  if (url.username !== '' || url.password !== '') throw refuse('a user name or password in the URL is not allowed');
  if (url.hostname === '') throw refuse('no host');
  // The fragment never reaches the receiver: keeping it would only confuse the log.
  url.hash = '';
  const normalized = url.href;
  if (normalized.length > WEBHOOK_ENDPOINT_LIMITS.urlLength) throw refuse('longer than 2048 characters');
  return normalized;
}
