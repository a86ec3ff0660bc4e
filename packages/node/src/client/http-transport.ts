import { LumioApiError } from './lumio-api-error.js';
import type { ClientConfig } from './client-config.js';

/** One call of the server API: a path under the base URL, an optional query and JSON body. */
export interface ApiRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

/**
 * Sends authenticated JSON requests to the Lumio server and turns every
 * failure into a {@link LumioApiError}.
 */
export class HttpTransport {
  readonly #config: ClientConfig;

  constructor(config: ClientConfig) {
    this.#config = config;
  }

  /** Sends one request and resolves with the parsed JSON answer (`undefined` when empty). */
  async request<T>({ method, path, query, body }: ApiRequest): Promise<T> {
    const { baseUrl, apiKey, timeoutMs } = this.#config;
    const url = baseUrl + path + toQueryString(query);
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    // Serialised before the try, so a body that cannot be JSON is a caller error, not a network error.
    const payload = body === undefined ? undefined : JSON.stringify(body);

    let response: Response;
    let text: string;
    try {
      // Called unbound: some fetch implementations refuse a foreign `this`.
      const send = this.#config.fetch;
      // The signal also covers reading the body, so a server that stalls mid-answer times out too.
      response = await send(url, {
        method,
        headers,
        body: payload,
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw networkError(error, `${method} ${path}`, timeoutMs);
    }

    const parsed = parseJson(text);
    if (response.ok) {
      if (text === '') return undefined as T;
      if (parsed.ok) return parsed.value as T;
      throw new LumioApiError(`${method} ${path}: the server answered ${response.status} with a body that is not JSON.`, {
        code: 'invalid_response',
        status: response.status,
        details: { body: text.slice(0, 200) },
      });
    }
    throw apiError(response, parsed.ok ? parsed.value : undefined, text, `${method} ${path}`);
  }
}

function toQueryString(query: ApiRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const search = params.toString();
  return search === '' ? '' : `?${search}`;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function apiError(response: Response, body: unknown, text: string, call: string): LumioApiError {
  const headerRequestId = response.headers.get('x-request-id') ?? undefined;
  const error = isRecord(body) && isRecord(body['error']) ? body['error'] : undefined;
  if (error && typeof error['code'] === 'string' && typeof error['message'] === 'string') {
    return new LumioApiError(error['message'], {
      code: error['code'],
      status: response.status,
      details: isRecord(error['details']) ? error['details'] : undefined,
      requestId: typeof error['requestId'] === 'string' ? error['requestId'] : headerRequestId,
    });
  }
  // Typically a proxy or load balancer answering in front of Lumio.
  return new LumioApiError(`${call}: the server answered ${response.status} without a Lumio error body.`, {
    code: 'invalid_response',
    status: response.status,
    details: { body: text.slice(0, 200) },
    requestId: headerRequestId,
  });
}

function networkError(error: unknown, call: string, timeoutMs: number): LumioApiError {
  const timedOut = error instanceof Error && error.name === 'TimeoutError';
  const message = timedOut
    ? `${call} timed out after ${timeoutMs} ms.`
    : `${call} failed before the server answered: ${describeNetworkError(error)}.`;
  return new LumioApiError(message, { code: 'network_error', status: 0, details: { timedOut }, cause: error });
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // Node's fetch says only "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND…) is in the cause.
  const cause = error.cause;
  if (cause instanceof Error) return `${error.message} (${(cause as NodeJS.ErrnoException).code ?? cause.message})`;
  return error.message;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
