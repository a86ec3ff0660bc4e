import type { LumioApiError } from './lumio-api-error.js';

/** Options of `new LumioClient(…)`. */
export interface LumioClientOptions {
  /** Where the Lumio server is reachable from your backend, e.g. `https://lumio.example.com`. */
  baseUrl: string;
  /** A workspace API key from the dashboard, sent as `Authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** A `fetch` implementation; the global `fetch` by default. */
  fetch?: typeof fetch;
  /** How long one call may take, response body included, before it fails with `network_error`. Defaults to 10 000 ms. */
  timeoutMs?: number;
  /** How `lumio.track()` batches and retries events. */
  events?: EventsOptions;
}

/** Options of `lumio.track()`'s queue (`new LumioClient({ events: … })`). */
export interface EventsOptions {
  /** Send as soon as this many events wait (1–100). Defaults to 20. */
  flushAt?: number;
  /** Send what waits at least this often, in ms. Defaults to 5 000. */
  flushIntervalMs?: number;
  /** The most events held (waiting or being retried); past it the oldest are dropped and reported. Defaults to 10 000. */
  maxQueueSize?: number;
  /** The first retry's delay in ms; each next one doubles, up to 30 s. Defaults to 500. */
  retryBaseMs?: number;
  /** How long `flush()` and `shutdown()` wait by default, in ms. Defaults to 10 000. */
  flushTimeoutMs?: number;
  /** Told about events that could not be stored (refused, dropped); by default one console line each. */
  onError?: (error: LumioApiError) => void;
}

/** Validated queue settings. */
export interface EventsConfig {
  readonly flushAt: number;
  readonly flushIntervalMs: number;
  readonly maxQueueSize: number;
  readonly retryBaseMs: number;
  readonly flushTimeoutMs: number;
  readonly onError: NonNullable<EventsOptions['onError']>;
}

/** Validated client settings: `baseUrl` has no trailing slash. */
export interface ClientConfig {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  readonly events: EventsConfig;
}

const DEFAULT_TIMEOUT_MS = 10_000;
// Timers treat anything longer as 1 ms, which would time every call out at once.
const MAX_TIMEOUT_MS = 2_147_483_647;
// Visible ASCII only: a stray newline or space from an env file would otherwise
// surface as a confusing header error on the first call.
const API_KEY_PATTERN = /^[\x21-\x7e]+$/;

/**
 * Validates `LumioClient` options once and returns a frozen copy; the
 * caller's object is never mutated. Throws a `TypeError` naming the setting.
 */
export function resolveClientConfig(options: LumioClientOptions): ClientConfig {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('LumioClient: pass an options object: new LumioClient({ baseUrl, apiKey }).');
  }
  const { baseUrl, apiKey, fetch: fetchOption, timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  if (typeof apiKey !== 'string' || !API_KEY_PATTERN.test(apiKey)) {
    throw new TypeError('LumioClient: apiKey must be a workspace API key from the dashboard, without spaces or line breaks.');
  }
  if (fetchOption !== undefined && typeof fetchOption !== 'function') {
    throw new TypeError('LumioClient: fetch must be a fetch function when given.');
  }
  if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new TypeError(`LumioClient: timeoutMs must be a whole number of milliseconds between 1 and ${MAX_TIMEOUT_MS}.`);
  }
  return Object.freeze({
    baseUrl: normalizeBaseUrl(baseUrl),
    apiKey,
    fetch: fetchOption ?? globalThis.fetch,
    timeoutMs,
    events: resolveEventsConfig(options.events ?? {}),
  });
}

function resolveEventsConfig(options: EventsOptions): EventsConfig {
  if (typeof options !== 'object' || options === null) throw new TypeError('LumioClient: events must be an options object when given.');
  const whole = (name: keyof EventsOptions, value: unknown, min: number, max: number, fallback: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new TypeError(`LumioClient: events.${name} must be a whole number between ${min} and ${max}.`);
    }
    return value;
  };
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw new TypeError('LumioClient: events.onError must be a function when given.');
  }
  return Object.freeze({
    flushAt: whole('flushAt', options.flushAt, 1, 100, 20),
    flushIntervalMs: whole('flushIntervalMs', options.flushIntervalMs, 1, MAX_TIMEOUT_MS, 5_000),
    maxQueueSize: whole('maxQueueSize', options.maxQueueSize, 1, 10_000_000, 10_000),
    retryBaseMs: whole('retryBaseMs', options.retryBaseMs, 1, 60_000, 500),
    flushTimeoutMs: whole('flushTimeoutMs', options.flushTimeoutMs, 1, MAX_TIMEOUT_MS, 10_000),
    onError: options.onError ?? ((error: LumioApiError) => console.error(`[lumio] ${error.code}: ${error.message}`)),
  });
}

function normalizeBaseUrl(baseUrl: unknown): string {
  const url = typeof baseUrl === 'string' && URL.canParse(baseUrl) ? new URL(baseUrl) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(
      `LumioClient: baseUrl must be an absolute http(s) URL such as https://lumio.example.com (got ${JSON.stringify(baseUrl)}).`,
    );
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new TypeError('LumioClient: baseUrl must not contain credentials, a query or a fragment; the API key goes in apiKey.');
  }
  // A path prefix is kept, so a server mounted under /lumio works.
  return url.origin + url.pathname.replace(/\/+$/, '');
}
