/**
 * The few calls of the Lumio HTTP API the benchmark needs: first-run setup,
 * a widget with its signing secret, an API key, sessions, identify, and the
 * list of stored users (to check that no acknowledged write was lost), and
 * plain dashboard calls for content.
 */
export class LumioApi {
  constructor(origin) {
    this.origin = origin;
    this.cookie = null;
    this.apiKey = null;
  }

  /** Completes first-run setup with the printed token; keeps the owner's session cookie. */
  async setup(setupToken) {
    const response = await this.#request('POST', '/api/v1/setup', {
      token: setupToken,
      email: 'bench@example.com',
      password: 'benchmark password 1',
      workspaceName: 'Benchmark',
    });
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('lumio_session='));
    if (!cookie) throw new Error('setup answered without a lumio_session cookie');
    this.cookie = cookie.split(';')[0];
    return response.body.workspace.id;
  }

  /** Creates a widget; returns its id and signing secret. */
  async createWidget(workspaceId, name) {
    const { body } = await this.#request('POST', `/api/v1/workspaces/${workspaceId}/widgets`, { name }, 201);
    return { widgetId: body.id, secret: body.signingSecret.secret };
  }

  /** Creates a workspace API key and uses it for the server API from now on. */
  async createApiKey(workspaceId) {
    const { body } = await this.#request('POST', `/api/v1/workspaces/${workspaceId}/api-keys`, { name: 'benchmark' }, 201);
    this.apiKey = body.key;
  }

  /**
   * A dashboard call as the owner, for setting up content (help center,
   * announcements); answers { status, body } whatever the status.
   */
  async dashboard(method, path, json) {
    const response = await fetch(`${this.origin}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  /** Starts an anonymous widget session; returns its token. */
  async startSession(widgetId, anonymousId) {
    const { body } = await this.#request('POST', `/widget/v1/${widgetId}/session`, { anonymousId });
    return body.token;
  }

  /** One identify call; returns the answer. */
  async identify(widgetId, sessionToken, bodyJson) {
    const response = await fetch(`${this.origin}/widget/v1/${widgetId}/identify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sessionToken}` },
      body: bodyJson,
    });
    const body = await response.json();
    if (response.status !== 200) throw new Error(`identify answered ${response.status}: ${JSON.stringify(body)}`);
    return body;
  }

  /** Every userId stored in the workspace of the API key, read page by page through the server API. */
  async storedUserIds() {
    const ids = new Set();
    let cursor = null;
    do {
      const query = `limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const { body } = await this.#request('GET', `/server/v1/users?${query}`, undefined, 200, { authorization: `Bearer ${this.apiKey}` });
      for (const user of body.users) ids.add(user.userId);
      cursor = body.nextCursor;
    } while (cursor);
    return ids;
  }

  /** The newest raw identity-log entries of a widget (owner's session), at most 1000. */
  async identityLog(workspaceId, widgetId, outcome) {
    const { body } = await this.#request(
      'GET',
      `/api/v1/workspaces/${workspaceId}/widgets/${widgetId}/identity-log?limit=1000${outcome ? `&outcome=${outcome}` : ''}`,
    );
    return body.entries;
  }

  async #request(method, path, json, expected = method === 'POST' ? [200, 201] : 200, headers = {}) {
    const response = await fetch(`${this.origin}${path}`, {
      method,
      headers: {
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const text = await response.text();
    const ok = Array.isArray(expected) ? expected.includes(response.status) : response.status === expected;
    if (!ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
    return { headers: response.headers, body: text ? JSON.parse(text) : null };
  }
}
