import { ANONYMOUS_ID_PATTERN } from '@lumio/protocol/browser';

/** Where the anonymous id is kept: `local` persists it (localStorage, else a cookie), `memory` keeps nothing in the browser. */
export type Persistence = 'local' | 'memory';

/** Where the id ended up: useful to tell a host why a reload forgot the visitor. */
export type StorageKind = 'localStorage' | 'cookie' | 'memory';

/** The browser pieces the store uses; tests and non-browser hosts pass their own. */
export interface StorageEnvironment {
  localStorage?: () => Storage | null | undefined;
  document?: Pick<Document, 'cookie'> | null;
  random?: (bytes: Uint8Array) => Uint8Array;
}

const COOKIE_MAX_AGE_SECONDS = 365 * 24 * 3600;

/**
 * Keeps a widget's anonymous id for the app's lifetime: localStorage, falling
 * back to a first-party cookie when storage is blocked, then memory. With
 * `memory` persistence nothing is written (hosts waiting for cookie consent),
 * and switching to `local` later keeps the current id.
 */
export class AnonymousIdStore {
  private id: string | null = null;
  private where: StorageKind = 'memory';
  private readonly key: string;

  constructor(
    widgetId: string,
    private mode: Persistence,
    private readonly env: StorageEnvironment = browserEnvironment(),
  ) {
    this.key = `lumio_anon_${widgetId}`;
  }

  /** The id, restored from the browser or created. */
  load(): string {
    if (this.id) return this.id;
    const restored = this.mode === 'local' ? this.read() : null;
    this.id = restored ?? newAnonymousId(this.env.random);
    if (!restored) this.write(this.id);
    return this.id;
  }

  /** Forgets the id everywhere and starts a new one (logout). */
  reset(): string {
    this.erase();
    this.id = newAnonymousId(this.env.random);
    this.write(this.id);
    return this.id;
  }

  /** Changes the persistence; `memory` erases what was stored, `local` stores the current id. */
  setPersistence(mode: Persistence): void {
    if (mode === this.mode) return;
    this.mode = mode;
    if (mode === 'memory') this.erase();
    else if (this.id) this.write(this.id);
  }

  /** The persistence in force. */
  get persistence(): Persistence {
    return this.mode;
  }

  /** Where the id is kept now. */
  get storage(): StorageKind {
    return this.mode === 'memory' ? 'memory' : this.where;
  }

  private read(): string | null {
    const fromStorage = attempt(() => this.env.localStorage?.()?.getItem(this.key));
    if (fromStorage && ANONYMOUS_ID_PATTERN.test(fromStorage)) {
      this.where = 'localStorage';
      return fromStorage;
    }
    const fromCookie = this.readCookie();
    if (fromCookie) this.where = 'cookie';
    return fromCookie;
  }

  private write(id: string): void {
    this.where = 'memory';
    if (this.mode === 'memory') return;
    const storage = attempt(() => this.env.localStorage?.());
    if (storage && attempt(() => (storage.setItem(this.key, id), storage.getItem(this.key) === id))) {
      this.where = 'localStorage';
      return;
    }
    const doc = this.env.document;
    if (!doc) return;
    attempt(() => (doc.cookie = `${this.key}=${id}; Max-Age=${COOKIE_MAX_AGE_SECONDS}; Path=/; SameSite=Lax`));
    if (this.readCookie() === id) this.where = 'cookie';
  }

  private erase(): void {
    attempt(() => this.env.localStorage?.()?.removeItem(this.key));
    const doc = this.env.document;
    if (doc) attempt(() => (doc.cookie = `${this.key}=; Max-Age=0; Path=/; SameSite=Lax`));
    this.where = 'memory';
  }

  private readCookie(): string | null {
    const cookies = attempt(() => this.env.document?.cookie) ?? '';
    for (const part of cookies.split(/;\s*/)) {
      const [name, value] = part.split('=');
      if (name === this.key && value && ANONYMOUS_ID_PATTERN.test(value)) return value;
    }
    return null;
  }
}

/** A new random anonymous id (`anon_` + 22 base64url characters). */
export function newAnonymousId(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(16));
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return `anon_${btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

function browserEnvironment(): StorageEnvironment {
  return {
    // A getter: merely reading window.localStorage throws when the browser blocks storage.
    localStorage: () => (typeof localStorage === 'undefined' ? null : localStorage),
    document: typeof document === 'undefined' ? null : document,
  };
}

// Storage access throws in private modes and sandboxed frames; every such failure means "not here".
function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
