/** The outcome of a call to the widget API: the answer, or the server's error code and message. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string; status: number };

const TIMEOUT_MS = 15_000;

/**
 * Calls the widget API (`<apiBase>/widget/v1/<widgetId>/…`) with JSON. Never
 * rejects: a network failure or a non-JSON answer becomes an error result
 * (`network_error`, `bad_response`), like any error the server sends.
 */
export class HttpTransport {
  private readonly base: string;

  constructor(
    apiBase: string,
    widgetId: string,
    private readonly fetchFn: typeof fetch = (...args) => fetch(...args),
  ) {
    this.base = `${apiBase.replace(/\/+$/, '')}/widget/v1/${encodeURIComponent(widgetId)}`;
  }

  /** The URL of a widget API path. */
  url(path: string): string {
    return `${this.base}/${path}`;
  }

  /** POSTs a JSON body. */
  post<T>(path: string, body: unknown, token?: string | null): Promise<ApiResult<T>> {
    return this.request<T>('POST', path, token, JSON.stringify(body));
  }

  /**
   * POSTs a JSON body with `keepalive`, so it still goes out while the page
   * hides or closes (sendBeacon cannot carry the Authorization header); false
   * when it cannot be sent that way. Its answer is not read.
   */
  keepalive(path: string, body: unknown, token: string): boolean {
    const text = JSON.stringify(body);
    // Browsers refuse keepalive bodies past 64 KiB (all of a page's in flight together).
    if (text.length > 60_000) return false;
    try {
      const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
      void this.fetchFn(this.url(path), { method: 'POST', headers, body: text, keepalive: true, credentials: 'omit' }).catch(
        () => undefined,
      );
      return true;
    } catch {
      return false;
    }
  }

  /** GETs a JSON answer. */
  get<T>(path: string, token?: string | null): Promise<ApiResult<T>> {
    return this.request<T>('GET', path, token);
  }

  private async request<T>(method: string, path: string, token: string | null | undefined, body?: string): Promise<ApiResult<T>> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const controller = typeof AbortController === 'undefined' ? null : new AbortController();
    const timer = controller ? setTimeout(() => controller.abort(), TIMEOUT_MS) : null;
    let response: Response;
    try {
      // No cookies: the widget API authenticates with the session token alone.
      response = await this.fetchFn(this.url(path), { method, headers, body, credentials: 'omit', signal: controller?.signal ?? null });
    } catch (error) {
      return failure('network_error', `Lumio could not reach ${this.base} (${String((error as Error)?.message ?? error)}).`, 0);
    } finally {
      if (timer) clearTimeout(timer);
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch {
      return failure('bad_response', `Lumio answered ${response.status} without JSON.`, response.status);
    }
    if (response.ok) return { ok: true, value: json as T };
    const error = (json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    return failure(
      typeof error?.code === 'string' ? error.code : 'bad_response',
      typeof error?.message === 'string' ? error.message : `Lumio answered ${response.status}.`,
      response.status,
    );
  }
}

function failure(code: string, message: string, status: number): { ok: false; code: string; message: string; status: number } {
  return { ok: false, code, message, status };
}
