import type { AnalyticsEventInput, EventBatchAnswer, EventBatchRequest, PropertyValue } from '@lumio/protocol/browser';
import type { ApiResult } from '../transport/http-transport.js';
import { EventQueue, type EventQueueTimers } from './event-queue.js';

/** What an {@link EventTracker} needs of the engine. */
export interface EventTrackerHost {
  /** Resolves once what was called before (init, identify, resetSession) has finished. */
  settled(): Promise<void>;
  /** POSTs a batch with `token`, or without one with the current session (started or renewed as needed); never rejects. */
  post(body: EventBatchRequest, token?: string): Promise<ApiResult<EventBatchAnswer>>;
  /** Hands a batch to a request that outlives the page, with `token` or the current session's; false when it cannot. */
  keepalive(body: EventBatchRequest, token?: string): boolean;
  /** The one console line and `error` event. */
  report(call: string, code: string, message: string): void;
}

/** The events of one session: a reset seals it with that session's token, and a new one takes the next events. */
interface Outbox {
  queue: EventQueue<AnalyticsEventInput>;
  /** Set by the seal: the token its events go with (null: that session never started, so they have nowhere to go). */
  token?: string | null;
  /** Wakes the batch waiting for identify (at most one: the queue sends one batch at a time) when the seal comes first. */
  wake?: () => void;
}

// NOTE: the rules of custom events in @lumio/protocol's validateAnalyticsEvent (EventLimits, the name and key
// patterns); the server checks everything, these checks catch the usual mistakes with a clear line at once.
const NAME = /^[\p{L}\p{N}_][\p{L}\p{N}_ .:/-]*$/u;
const KEY = /^[\p{L}\p{N}_$-][\p{L}\p{N}_$ :-]*$/u;
const MAX_NAME = 64;
const MAX_PROPS = 25;
const MAX_PROPS_JSON = 4096;

// Node (tests, server-side rendering) must not stay alive for a pending flush.
const timers: EventQueueTimers = {
  set(fn, ms) {
    const handle = setTimeout(fn, ms);
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * The analytics events of one engine: `lumio.track`'s custom events and the
 * widget's built-in ones, each with a client-made id and time, queued and sent
 * in batches. A batch waits for identify (so events recorded before it go with
 * the identified session), is retried with the same ids when the server is
 * busy or out of reach (it drops duplicates), and dropped when the server
 * refuses it for good. On logout the events so far go out with the old
 * session's token before the new session starts; while the page hides, what
 * is queued leaves with a keepalive request.
 */
export class EventTracker {
  private readonly host: EventTrackerHost;
  private readonly retired = new Set<Outbox>();
  private outbox: Outbox;
  private readonly onHide = (event: Event) => {
    if (event.type === 'pagehide' || globalThis.document?.visibilityState === 'hidden') this.flushOnHide();
  };

  constructor(host: EventTrackerHost) {
    this.host = host;
    this.outbox = this.open();
    globalThis.addEventListener?.('pagehide', this.onHide);
    globalThis.document?.addEventListener?.('visibilitychange', this.onHide);
  }

  /** Records a custom event after checking it; a bad one is refused with the console line and `error`, never thrown. */
  track(name: unknown, props?: unknown): boolean {
    const problem = customEventProblem(name, props);
    if (problem) return (this.host.report('track', 'invalid_event', `track: ${problem}`), false);
    // A copy: the host may change its object after the call.
    this.record(name as string, props == null ? undefined : (JSON.parse(JSON.stringify(props)) as Record<string, PropertyValue>));
    return true;
  }

  /** Records an event as it is (the built-in ones, whose props the callers' types fix). */
  record(name: string, props?: Record<string, PropertyValue>): void {
    this.outbox.queue.push({ id: newEventId(), name, at: Date.now(), ...(props ? { props } : {}) });
  }

  /** Sends what is queued now. */
  flush(): Promise<void> {
    return this.outbox.queue.flush();
  }

  /**
   * Ends the events of a session (logout): what was recorded so far is sent
   * with `token`, the session it belongs to, and later events start afresh.
   * Resolves once the first attempt finished; what failed keeps retrying.
   */
  async seal(token: string | null): Promise<void> {
    const old = this.outbox;
    this.outbox = this.open();
    old.token = token;
    old.wake?.();
    await old.queue.flush();
    if (old.queue.size > 0) this.retired.add(old);
  }

  /** Hands what is queued to keepalive requests (the page is hiding or closing). */
  flushOnHide(): void {
    for (const outbox of this.retired) {
      outbox.queue.flushOnHide();
      if (outbox.queue.size === 0) this.retired.delete(outbox);
    }
    this.outbox.queue.flushOnHide();
  }

  /** Sends what is queued and schedules nothing more (shutdown). */
  stop(): void {
    globalThis.removeEventListener?.('pagehide', this.onHide);
    globalThis.document?.removeEventListener?.('visibilitychange', this.onHide);
    void this.flush();
    this.outbox.queue.stop();
  }

  private open(): Outbox {
    const outbox = {} as Outbox;
    outbox.queue = new EventQueue<AnalyticsEventInput>({
      // NOTE: at most EventLimits.maxBatch (100) of the protocol.
      maxBatch: 50,
      timers,
      send: (events) => this.send(outbox, events),
      beacon: (events) => outbox.token === null || this.host.keepalive({ events }, outbox.token),
    });
    return outbox;
  }

  private async send(outbox: Outbox, events: AnalyticsEventInput[]): Promise<boolean> {
    // After identify: events recorded before it count for the identified user. A reset meanwhile seals the
    // outbox instead, and the reset waits for this batch, so this batch must not wait for the reset.
    if (outbox.token === undefined)
      await new Promise<void>((resolve) => {
        outbox.wake = resolve;
        void this.host.settled().then(resolve);
      });
    if (outbox.token === null) return true;
    const result = await this.host.post({ events }, outbox.token);
    if (result.ok) {
      const rejected = Array.isArray(result.value?.rejected) ? result.value.rejected : [];
      // Refused events would be refused again: not retried, and one line for the whole batch.
      const first = rejected[0];
      if (first)
        this.host.report('track', first.code, `${rejected.length} of ${events.length} events were refused; the first: ${first.message}`);
      return true;
    }
    // Busy (429: rate limit, quota), failing or out of reach: the batch goes again after the back-off, with the same ids.
    if (result.status === 429 || result.status === 0 || result.status >= 500) return false;
    // Refused as a whole (400, 413, 403…): sending it again cannot help.
    this.host.report('track', result.code, result.message);
    return true;
  }
}

/** A new event id: the time in base 36 (10 characters, so ids sort by time) and 16 random base-32 characters. */
export function newEventId(now = Date.now()): string {
  let id = now.toString(36).padStart(10, '0');
  for (const byte of crypto.getRandomValues(new Uint8Array(16))) id += (byte & 31).toString(32);
  return id;
}

// What is wrong with a custom event, or '' when nothing the SDK checks is.
function customEventProblem(name: unknown, props: unknown): string {
  if (typeof name !== 'string' || name.startsWith('$') || [...name].length > MAX_NAME || !NAME.test(name))
    return `${JSON.stringify(name)?.slice(0, 80)} is not an event name: up to ${MAX_NAME} letters, digits, spaces, "_", ".", ":", "/" or "-", starting with a letter, digit or "_" ("$" names are Lumio's own)`;
  if (props == null) return '';
  if (typeof props !== 'object' || Array.isArray(props)) return 'props must be an object';
  const bad = Object.entries(props).find(
    ([key, value]) =>
      !KEY.test(key) ||
      !(
        value === null ||
        typeof value === 'string' ||
        typeof value === 'boolean' ||
        (typeof value === 'number' && isFinite(value)) ||
        (Array.isArray(value) && value.every((item) => typeof item === 'string'))
      ),
  );
  if (bad)
    return `prop "${bad[0].slice(0, 80)}" must be named with letters, digits, spaces, "_", "-", "$" or ":" and be a string, number, boolean or list of strings (flat)`;
  return Object.keys(props).length > MAX_PROPS || JSON.stringify(props).length > MAX_PROPS_JSON
    ? `an event takes at most ${MAX_PROPS} props and ${MAX_PROPS_JSON} characters of them as JSON`
    : '';
}
