/** Schedules and cancels callbacks; `setTimeout`/`clearTimeout` by default, a fake in tests. */
export interface EventQueueTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** How an {@link EventQueue} sends its events, bounds its memory and paces its retries. */
export interface EventQueueOptions<E> {
  /** Sends one batch; resolves `true` when the server accepted it, `false` (or rejects) on failure. */
  send(batch: E[]): Promise<boolean>;
  /** Sends one batch synchronously while the page hides (e.g. `navigator.sendBeacon`); returns whether the browser queued it. */
  beacon?(batch: E[]): boolean;
  /** Most events kept; beyond it the oldest are dropped (default 1000). */
  maxQueued?: number;
  /** Most events in one batch; queuing this many flushes at once (default 50). */
  maxBatch?: number;
  /** Delay between a push and the flush it schedules (default 5000). */
  flushIntervalMs?: number;
  /** Retry delay after the first failure, doubled after each further one (default 1000). */
  retryBaseMs?: number;
  /** Upper bound of the retry delay (default 60000). */
  retryMaxMs?: number;
  /** Returns a number in [0, 1) that jitters the retry delay (default `Math.random`). */
  random?: () => number;
  /** Timer functions, so tests control time (default `setTimeout`/`clearTimeout`). */
  timers?: EventQueueTimers;
}

/** Defaults of the optional numeric {@link EventQueueOptions}. */
export const EVENT_QUEUE_DEFAULTS = {
  maxQueued: 1000,
  maxBatch: 50,
  flushIntervalMs: 5000,
  retryBaseMs: 1000,
  retryMaxMs: 60_000,
} as const;

const defaultTimers: EventQueueTimers = {
  set: (fn, ms) => globalThis.setTimeout(fn, ms),
  clear: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * A bounded queue of analytics events that sends them in batches, retries failures with
 * jittered exponential back-off, and never throws into the host page.
 */
export class EventQueue<E> {
  private readonly options: EventQueueOptions<E>;
  private readonly maxQueued: number;
  private readonly maxBatch: number;
  private readonly flushIntervalMs: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly random: () => number;
  private readonly timers: EventQueueTimers;
  private queue: E[] = [];
  private droppedCount = 0;
  private failures = 0;
  private timer: { handle: unknown } | undefined;
  private flushing: Promise<void> | undefined;
  private stopped = false;

  constructor(options: EventQueueOptions<E>) {
    const d = EVENT_QUEUE_DEFAULTS;
    this.options = options;
    this.maxQueued = options.maxQueued ?? d.maxQueued;
    // At least 1, or a flush would loop forever sending empty batches.
    this.maxBatch = Math.max(1, options.maxBatch ?? d.maxBatch);
    this.flushIntervalMs = options.flushIntervalMs ?? d.flushIntervalMs;
    this.retryBaseMs = options.retryBaseMs ?? d.retryBaseMs;
    this.retryMaxMs = options.retryMaxMs ?? d.retryMaxMs;
    this.random = options.random ?? Math.random;
    this.timers = options.timers ?? defaultTimers;
  }

  /** Number of events waiting to be sent (not counting a batch in flight). */
  get size(): number {
    return this.queue.length;
  }

  /** Number of events dropped, oldest first, because the queue was full. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Queues one event, flushing at once when a full batch is waiting and otherwise scheduling a flush. */
  push(event: E): void {
    this.queue.push(event);
    this.trim();
    // While backing off, a full batch waits for the retry rather than hammering a failing server.
    if (this.queue.length >= this.maxBatch && this.failures === 0) void this.flush();
    else this.schedule(this.flushIntervalMs, false);
  }

  /** Sends everything queued in batches, one at a time, stopping at the first failure; never rejects. */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Hands everything queued to `beacon` in batches while the page hides; what it refuses stays queued. */
  flushOnHide(): void {
    const options = this.options;
    if (!options.beacon) return;
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, this.maxBatch);
      let queued = false;
      try {
        // Called as a method, so options written with method shorthand keep their `this`.
        queued = options.beacon(batch) === true;
      } catch {
        // A throwing beacon counts as a refusal: the events stay for a later flush.
      }
      if (!queued) return;
      this.queue.splice(0, batch.length);
    }
  }

  /** Cancels the scheduled flush or retry and schedules no more; `flush` and `flushOnHide` still work. */
  stop(): void {
    this.stopped = true;
    this.cancel();
  }

  private async drain(): Promise<void> {
    // This flush covers whatever the timer was waiting for.
    this.cancel();
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      let accepted = false;
      try {
        accepted = (await this.options.send(batch)) === true;
      } catch {
        // A rejection (or a synchronous throw) is a failed send, retried like `false`.
      }
      if (!accepted) {
        this.queue = batch.concat(this.queue);
        this.trim();
        this.failures++;
        const cap = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** (this.failures - 1));
        this.schedule(cap * (0.5 + this.random() / 2), true);
        return;
      }
      this.failures = 0;
    }
  }

  private trim(): void {
    const excess = this.queue.length - this.maxQueued;
    if (excess > 0) {
      this.queue.splice(0, excess);
      this.droppedCount += excess;
    }
  }

  private schedule(ms: number, replace: boolean): void {
    if (this.stopped || (this.timer && !replace)) return;
    this.cancel();
    const timer = { handle: undefined as unknown };
    this.timer = timer;
    timer.handle = this.timers.set(() => {
      if (this.timer === timer) this.timer = undefined;
      void this.flush();
    }, ms);
  }

  private cancel(): void {
    if (this.timer) this.timers.clear(this.timer.handle);
    this.timer = undefined;
  }
}
