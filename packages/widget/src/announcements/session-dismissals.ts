const MAX_IDS = 100;

/** How the memory reaches sessionStorage; tests pass their own. */
export interface DismissalsEnvironment {
  /** A getter: merely reading window.sessionStorage throws where the browser blocks storage. */
  sessionStorage?: () => Pick<Storage, 'getItem' | 'setItem'> | null | undefined;
  /** False while the host keeps the SDK to memory (waiting for consent): nothing is written then. */
  mayStore?: () => boolean;
}

/**
 * Remembers the `every_session` announcements dismissed in this browser
 * session, which the server returns again on every page, so a dismissal holds
 * until the tab's session ends. Kept per widget and per identity (the
 * anonymous id, which a new user or a logout replaces), in sessionStorage when
 * allowed and always in memory, so blocked storage costs only the reload.
 */
export class SessionDismissals {
  private readonly key: string;
  private identity = '';
  private ids = new Set<string>();
  private loaded = false;

  constructor(
    widgetId: string,
    private readonly env: DismissalsEnvironment = {},
  ) {
    this.key = `lumio_dismissed_${widgetId}`;
  }

  /** Whether this identity dismissed the announcement earlier in this session. */
  has(identity: string, id: string): boolean {
    this.use(identity);
    return this.ids.has(id);
  }

  /** Remembers a dismissal for the rest of the session. */
  add(identity: string, id: string): void {
    this.use(identity);
    this.ids.add(id);
    // Oldest first out: the set keeps insertion order.
    while (this.ids.size > MAX_IDS) this.ids.delete(this.ids.values().next().value!);
    if (this.env.mayStore?.() ?? true)
      attempt(() => this.storage()?.setItem(this.key, JSON.stringify({ a: identity, ids: [...this.ids] })));
  }

  private use(identity: string): void {
    if (!this.loaded) {
      this.loaded = true;
      const saved = attempt(() => JSON.parse(this.storage()?.getItem(this.key) ?? 'null') as { a?: unknown; ids?: unknown } | null);
      if (saved && typeof saved.a === 'string' && Array.isArray(saved.ids)) {
        this.identity = saved.a;
        this.ids = new Set(saved.ids.filter((id): id is string => typeof id === 'string'));
      }
    }
    // Another identity (logout, another user) starts with nothing dismissed.
    if (identity !== this.identity) {
      this.identity = identity;
      this.ids = new Set();
    }
  }

  private storage(): Pick<Storage, 'getItem' | 'setItem'> | null | undefined {
    return (this.env.sessionStorage ?? browserSessionStorage)();
  }
}

function browserSessionStorage(): Storage | null {
  return typeof sessionStorage === 'undefined' ? null : sessionStorage;
}

// Storage throws in private modes and sandboxed frames; each failure means "not kept there".
function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
