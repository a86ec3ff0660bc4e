/** One short message after something the team did ("Saved as a draft."). */
export interface Toast {
  id: number;
  message: string;
}

/** The timer functions the store uses: the browser's own, or a test's fake ones. */
export interface ToastTimers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

interface Entry extends Toast {
  /** Time left before it goes by itself, counted only while not paused. */
  remaining: number;
  startedAt: number;
  timer: unknown;
}

/**
 * The toasts on screen: each goes by itself after `duration` ms, but not
 * while the team points at or focuses them (`pause`/`resume`), so a slow
 * reader or a keyboard user on the way to Dismiss does not lose it. At most
 * `max` are kept, the oldest leaving first; the same message again restarts
 * its time rather than stacking a copy.
 */
export class ToastStore {
  readonly #duration: number;
  readonly #max: number;
  readonly #timers: ToastTimers;
  readonly #listeners = new Set<() => void>();
  #entries: Entry[] = [];
  #shown: readonly Toast[] = [];
  #paused = false;
  #next = 1;

  constructor({ duration = 5_000, max = 3, timers = browserTimers }: { duration?: number; max?: number; timers?: ToastTimers } = {}) {
    this.#duration = duration;
    this.#max = max;
    this.#timers = timers;
  }

  /** For useSyncExternalStore: the same array until something changes. */
  readonly list = (): readonly Toast[] => this.#shown;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  /** Shows a message; answers its id. */
  show(message: string): number {
    const same = this.#entries.find((e) => e.message === message);
    if (same) this.#drop(same.id);
    const entry: Entry = { id: this.#next++, message, remaining: this.#duration, startedAt: this.#timers.now(), timer: null };
    this.#entries.push(entry);
    if (!this.#paused) this.#start(entry);
    while (this.#entries.length > this.#max) this.#drop(this.#entries[0]!.id);
    this.#changed();
    return entry.id;
  }

  dismiss(id: number): void {
    if (this.#drop(id)) this.#changed();
  }

  /** Stops every toast's clock (pointer over them, or focus inside). */
  pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    const now = this.#timers.now();
    for (const entry of this.#entries) {
      this.#timers.clearTimeout(entry.timer);
      entry.timer = null;
      entry.remaining = Math.max(0, entry.remaining - (now - entry.startedAt));
    }
  }

  /** Lets the clocks run on from where they stopped. */
  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    for (const entry of this.#entries) this.#start(entry);
  }

  #start(entry: Entry): void {
    entry.startedAt = this.#timers.now();
    entry.timer = this.#timers.setTimeout(() => this.dismiss(entry.id), entry.remaining);
  }

  #drop(id: number): boolean {
    const index = this.#entries.findIndex((e) => e.id === id);
    if (index < 0) return false;
    this.#timers.clearTimeout(this.#entries[index]!.timer);
    this.#entries.splice(index, 1);
    return true;
  }

  #changed(): void {
    this.#shown = this.#entries.map(({ id, message }) => ({ id, message }));
    for (const listener of this.#listeners) listener();
  }
}

const browserTimers: ToastTimers = {
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};
