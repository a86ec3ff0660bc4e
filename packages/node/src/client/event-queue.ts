import { randomUUID } from 'node:crypto';
import {
  ServerEventLimits,
  findUnsafeText,
  normalizeUserId,
  unsafeTextMessage,
  type ServerEventBatchAnswer,
  type ServerEventInput,
} from '@lumio/protocol';
import { LumioApiError } from './lumio-api-error.js';
import type { HttpTransport } from './http-transport.js';
import type { EventsConfig } from './client-config.js';
import type { TrackedEvent } from './types.js';

const EVENTS_PATH = '/server/v1/events';
const MAX_BACKOFF_MS = 30_000;

interface Queued {
  seq: number;
  event: ServerEventInput;
}

/**
 * The client's outgoing events (`lumio.track`): kept in memory, sent in
 * batches when `flushAt` events wait or every `flushIntervalMs`, one batch at
 * a time and in order. A batch that meets a network error, a 5xx or a 429 is
 * retried with exponential backoff; every event carries its id from the
 * moment it was tracked, so a retry the server already stored counts once.
 * Failures never escape as rejections: they go to `onError`.
 */
export class EventQueue {
  readonly #transport: HttpTransport;
  readonly #config: EventsConfig;
  readonly #queue: Queued[] = [];
  #inflight: Queued[] = [];
  #seq = 0;
  #pump: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;
  // Wakes a backoff wait early: flush() and shutdown() do not wait out a 30-second backoff.
  #wake: (() => void) | null = null;
  #waiters: Array<{ through: number; resolve: () => void }> = [];
  #failures = 0;
  #retryAfterMs = 0;

  constructor(transport: HttpTransport, config: EventsConfig) {
    this.#transport = transport;
    this.#config = config;
  }

  /** Queues one event; throws a TypeError for a malformed one, and `client_closed` after shutdown. */
  track(input: TrackedEvent): void {
    if (this.#closed) {
      throw new LumioApiError('lumio.track() after shutdown(): the client sends no more events.', { code: 'client_closed', status: 0 });
    }
    const event = toServerEvent(input);
    this.#queue.push({ seq: ++this.#seq, event });
    // Bounded: while the server is unreachable the oldest events go first, each reported.
    const over = this.#queue.length + this.#inflight.length - this.#config.maxQueueSize;
    if (over > 0) {
      const dropped = this.#queue.splice(0, over);
      this.#report(
        new LumioApiError(`${dropped.length} queued event(s) dropped: the queue holds at most ${this.#config.maxQueueSize}.`, {
          code: 'events_dropped',
          status: 0,
          details: { dropped: dropped.map((q) => q.event.id) },
        }),
      );
      this.#settle();
    }
    if (this.#queue.length >= this.#config.flushAt) this.#kick();
    else this.#armTimer();
  }

  /**
   * Sends every event tracked so far; resolves once each is stored or
   * dropped, and rejects with `flush_timeout` when `timeoutMs` passes first
   * (the events stay queued and keep being retried).
   */
  async flush(timeoutMs = this.#config.flushTimeoutMs): Promise<void> {
    const through = this.#seq;
    if (this.#oldestPending() > through) return;
    const done = new Promise<void>((resolve) => this.#waiters.push({ through, resolve }));
    this.#kick();
    this.#wake?.();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new LumioApiError(`lumio.flush() timed out after ${timeoutMs} ms; the events stay queued and are retried.`, {
              code: 'flush_timeout',
              status: 0,
              details: { queued: this.size },
            }),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Refuses new events, sends what is queued (up to `timeoutMs`), stops the
   * timers; whatever could not be sent by then is dropped and reported.
   * Resolves with the number dropped; never rejects.
   */
  async shutdown(timeoutMs = this.#config.flushTimeoutMs): Promise<{ dropped: number }> {
    this.#closed = true;
    this.#disarmTimer();
    try {
      await this.flush(timeoutMs);
    } catch {
      // Reported below as dropped.
    }
    const left = [...this.#inflight, ...this.#queue];
    this.#queue.length = 0;
    this.#inflight = [];
    this.#wake?.();
    if (left.length > 0) {
      this.#report(
        new LumioApiError(`${left.length} event(s) not sent before shutdown() ended.`, {
          code: 'events_dropped',
          status: 0,
          details: { dropped: left.map((q) => q.event.id) },
        }),
      );
    }
    this.#settle();
    return { dropped: left.length };
  }

  /** Events waiting or in flight. */
  get size(): number {
    return this.#queue.length + this.#inflight.length;
  }

  #kick(): void {
    this.#disarmTimer();
    this.#pump ??= this.#run().finally(() => {
      this.#pump = null;
      if (this.#queue.length > 0 && !this.#closed) this.#armTimer();
    });
  }

  #armTimer(): void {
    if (this.#timer || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#kick();
    }, this.#config.flushIntervalMs);
    // A queue alone never keeps the process alive: call shutdown() before exiting.
    this.#timer.unref();
  }

  #disarmTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  async #run(): Promise<void> {
    while (this.#queue.length > 0 || this.#inflight.length > 0) {
      if (this.#inflight.length === 0) this.#inflight = this.#queue.splice(0, ServerEventLimits.maxBatch);
      const batch = this.#inflight;
      const outcome = await this.#send(batch);
      // shutdown() may have dropped the batch while it was on the wire.
      if (this.#inflight !== batch || outcome === 'split') continue;
      if (outcome === 'retry') {
        // After shutdown() gave up, nobody waits: stop instead of retrying forever.
        if (this.#closed && this.#waiters.length === 0) return;
        await this.#backoff();
        continue;
      }
      this.#failures = 0;
      this.#retryAfterMs = 0;
      this.#inflight = [];
      this.#settle();
    }
  }

  // 'done': stored, or refused for good (reported); 'retry': the same batch again after a backoff;
  // 'split': the batch was halved (the second half back at the queue's front), send again now.
  async #send(batch: Queued[]): Promise<'done' | 'retry' | 'split'> {
    try {
      const answer = await this.#transport.request<ServerEventBatchAnswer>({
        method: 'POST',
        path: EVENTS_PATH,
        body: { events: batch.map((q) => q.event) },
      });
      const rejected = Array.isArray(answer?.rejected) ? answer.rejected : [];
      if (rejected.length > 0) {
        this.#report(
          new LumioApiError(`${rejected.length} event(s) refused by the server: ${rejected[0]!.message}`, {
            code: rejected[0]!.code,
            status: 200,
            details: { rejected },
          }),
        );
      }
      return 'done';
    } catch (error) {
      const failure = error instanceof LumioApiError ? error : new LumioApiError(String(error), { code: 'network_error', status: 0 });
      if (failure.status === 0 || failure.status >= 500 || failure.status === 429) {
        this.#failures++;
        this.#retryAfterMs = retryAfterOf(failure);
        return 'retry';
      }
      // Too big for the server's body limit (multi-byte properties): halve the batch.
      if (failure.code === 'payload_too_large' && batch.length > 1) {
        this.#queue.unshift(...batch.splice(Math.ceil(batch.length / 2)));
        return 'split';
      }
      // Refused for good (a bad or revoked API key, …): retrying would fail the same way.
      this.#report(failure);
      return 'done';
    }
  }

  #backoff(): Promise<void> {
    const exponential = Math.min(MAX_BACKOFF_MS, this.#config.retryBaseMs * 2 ** Math.min(this.#failures - 1, 16));
    // Jittered, never below the server's Retry-After: many clients that failed together do not return together.
    const wait = Math.max(this.#retryAfterMs, Math.round(exponential / 2 + (Math.random() * exponential) / 2));
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
      const timer = setTimeout(done, wait);
      timer.unref();
      this.#wake = done;
    });
  }

  #oldestPending(): number {
    return this.#inflight[0]?.seq ?? this.#queue[0]?.seq ?? Infinity;
  }

  #settle(): void {
    const oldest = this.#oldestPending();
    this.#waiters = this.#waiters.filter((w) => {
      if (oldest <= w.through) return true;
      w.resolve();
      return false;
    });
  }

  #report(error: LumioApiError): void {
    try {
      this.#config.onError(error);
    } catch {
      // A throwing handler must not break the queue.
    }
  }
}

function retryAfterOf(error: LumioApiError): number {
  const seconds = error.details?.['retryAfterSeconds'];
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1000, MAX_BACKOFF_MS) : 0;
}

// The client's own checks of an event, so a mistake throws where it was made; the server checks the rest.
function toServerEvent(input: TrackedEvent): ServerEventInput {
  if (typeof input !== 'object' || input === null) throw new TypeError('lumio.track() takes { name, userId and/or company, … }.');
  const { name, userId, company, properties, at, id } = input;
  if (typeof name !== 'string' || name === '') throw new TypeError('lumio.track(): name must be a non-empty string.');
  if (userId === undefined && company === undefined) throw new TypeError('lumio.track(): give a userId, a company, or both.');
  const event: ServerEventInput = { id: id ?? randomUUID(), name, at: at ?? Date.now() };
  if (typeof event.id !== 'string' || !/^[A-Za-z0-9_-]{8,64}$/.test(event.id)) {
    throw new TypeError('lumio.track(): id must be 8 to 64 letters, digits, "_" or "-" (your idempotency key).');
  }
  if (!Number.isSafeInteger(event.at)) throw new TypeError('lumio.track(): at must be epoch milliseconds (a whole number).');
  if (userId !== undefined) {
    const checked = normalizeUserId(userId);
    if (!checked.ok) throw new TypeError(`lumio.track(): ${checked.issue.message}`);
    event.userId = checked.value;
  }
  if (company !== undefined) {
    const checked = normalizeUserId(company);
    if (!checked.ok) throw new TypeError(`lumio.track(): ${checked.issue.message.replace(/^userId/, 'company')}`);
    event.company = checked.value;
  }
  if (properties !== undefined) event.properties = properties;
  // The server refuses a whole request holding U+0000 or a lone surrogate: caught here, it costs this event only.
  const unsafe = findUnsafeText(event);
  if (unsafe) throw new TypeError(`lumio.track(): ${unsafeTextMessage(unsafe)}`);
  return event;
}
