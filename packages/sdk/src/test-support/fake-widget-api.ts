// A scripted stand-in for the widget API, for unit tests of the engine's own
// logic (ordering, state, storage). The real server is exercised by the
// browser tests under e2e/.
export interface RecordedCall {
  method: string;
  path: string;
  body: Record<string, unknown> | undefined;
  token: string | null;
  /** Sent with fetch's `keepalive` (events while the page hides). */
  keepalive?: true;
}

type Handler = (call: RecordedCall) => { status: number; json: unknown } | Promise<{ status: number; json: unknown }>;

/** A fake fetch answering /session, /identify, /me and /events like Lumio does, with hooks to refuse or delay. */
export function fakeWidgetApi() {
  const calls: RecordedCall[] = [];
  let sessions = 0;
  const handlers = new Map<string, Handler>();
  const defaults: Record<string, Handler> = {
    session: (call) => ({
      status: 200,
      json: {
        token: `tok-anon-${++sessions}-${String(call.body?.anonymousId)}`,
        state: 'anonymous',
        userId: null,
        expiresAt: Date.now() + 900_000,
      },
    }),
    identify: (call) => ({
      status: 200,
      json: {
        token: `tok-user-${String(call.body?.userId)}`,
        state: call.body?.signature ? 'verified' : 'identified',
        userId: call.body?.userId,
        anonymousId: 'x',
        linked: true,
        expiresAt: Date.now() + 900_000,
      },
    }),
    me: () => ({ status: 200, json: { state: 'verified', profile: { name: 'Ada' } } }),
    events: (call) => ({ status: 200, json: { accepted: (call.body?.events as unknown[]).length, duplicates: 0, rejected: [] } }),
  };
  const fetchFn = (async (url: string | URL, init?: RequestInit) => {
    const path = String(url).split('/widget/v1/')[1]!.split('/').slice(1).join('/');
    const auth = (init?.headers as Record<string, string> | undefined)?.authorization;
    const call: RecordedCall = {
      method: init?.method ?? 'GET',
      path,
      body: init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : undefined,
      token: auth ? auth.slice('Bearer '.length) : null,
      ...(init?.keepalive ? { keepalive: true as const } : {}),
    };
    calls.push(call);
    // A handler for a path without its query string answers every query of it.
    const bare = path.split('?')[0]!;
    const answer = await (handlers.get(path) ?? handlers.get(bare) ?? defaults[path])!(call);
    return new Response(JSON.stringify(answer.json), { status: answer.status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return {
    fetch: fetchFn,
    calls,
    /** Replaces the answer of one path (`help/articles` also answers `help/articles?query=…`). */
    answer(path: string, handler: Handler) {
      handlers.set(path, handler);
    },
    refuse(path: string, code: string, status = 401) {
      handlers.set(path, () => ({ status, json: { error: { code, message: `refused: ${code}` } } }));
    },
  };
}

/** An in-memory Storage (the browser's own is exercised in Chromium). */
export class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, String(value));
  }
}

/** A document.cookie that behaves like a browser's for name=value pairs and Max-Age=0. */
export class CookieJar {
  private readonly jar = new Map<string, string>();
  get cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  set cookie(text: string) {
    const [pair, ...attributes] = text.split(';').map((s) => s.trim());
    const [name, value] = pair!.split('=');
    if (attributes.some((a) => a.toLowerCase() === 'max-age=0')) this.jar.delete(name!);
    else this.jar.set(name!, value ?? '');
  }
}

/** A console that records what the SDK prints. */
export function recordingConsole() {
  const lines: string[] = [];
  return {
    lines,
    console: {
      warn: (...args: unknown[]) => lines.push(args.map(String).join(' ')),
      error: (...args: unknown[]) => lines.push(args.map(String).join(' ')),
    },
  };
}

/** Stops and forgets every engine the tests of a file registered on the page, so each test starts a page of its own. */
export function forgetPageEngines(): void {
  const page = globalThis as { [key: symbol]: Map<string, { shutdown(): void }> | undefined };
  const engines = page[Symbol.for('lumio.engines')];
  for (const engine of engines?.values() ?? []) engine.shutdown();
  engines?.clear();
}
