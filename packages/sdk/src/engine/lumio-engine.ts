import {
  normalizeUserId,
  type CompanyRequest,
  type BuiltInEventName,
  type EventBatchAnswer,
  type IdentityState,
  type ProfileFieldError,
  type ProfileOutcome,
  type PropertiesInput,
  type StandardTraits,
} from '@lumio/protocol/browser';
import type { BuiltInEventArgs } from '../events/built-in-events.js';
import { EventTracker } from '../events/event-tracker.js';
import { AnonymousIdStore, type Persistence, type StorageEnvironment } from '../storage/anonymous-id-store.js';
import { HttpTransport, type ApiResult } from '../transport/http-transport.js';
import { Emitter } from './emitter.js';
import { errorHint } from './error-hints.js';
import { type BirthdayInput, wireBirthday } from '../profile/birthday.js';

/** Options of a Lumio client; only `widgetId` is required. */
export interface LumioOptions {
  widgetId: string;
  /** Origin of the Lumio server; defaults to the page's own origin (widget.js passes the origin it came from). */
  apiBase?: string;
  /** `memory` keeps nothing in the browser until switched to `local` (cookie consent). Default `local`. */
  persistence?: Persistence;
}

/** What identify sends: the userId, its proof, and the profile. */
export interface IdentifyInput extends Omit<StandardTraits, 'birthday'> {
  userId: string | number;
  /** A `Date` (read as the calendar date meant, see calendarDateOf) or `YYYY-MM-DD`; sent as `YYYY-MM-DD`. */
  birthday?: BirthdayInput;
  /** Hex HMAC-SHA256 of the userId, computed on the host's server. */
  signature?: string;
  /** A signed identity token (JWT HS256) instead of a signature. */
  token?: string;
  properties?: PropertiesInput;
  /** The user's company `{ id, name, properties }`: a claim unless a signed identity token carries it (docs/companies.md). */
  company?: CompanyRequest;
  /** Several companies (with `company`, at most 20). */
  companies?: CompanyRequest[];
  /** The alias of IdentifyRequest (`profile: { …traits, traits }`), accepted from the snippet API as the server accepts it. */
  profile?: Omit<StandardTraits, 'birthday'> & { birthday?: BirthdayInput; traits?: PropertiesInput };
}

/** How an identify ended; identify never rejects. */
export type IdentifyOutcome =
  | {
      ok: true;
      state: Exclude<IdentityState, 'anonymous'>;
      userId: string;
      /** Present when the profile part was refused as a whole (nothing of it stored); the identity still holds. */
      profileErrors?: ProfileFieldError[];
    }
  | { ok: false; code: string; message: string };

/** Events of a Lumio client. */
export interface LumioEvents extends Record<string, unknown> {
  stateChange: { state: IdentityState; previous: IdentityState; userId: string | null };
  /** After every successful identify, whether or not the state changed (the profile may have). */
  identify: { state: Exclude<IdentityState, 'anonymous'>; userId: string };
  error: { code: string; message: string; call: string };
  /** After resetSession: the widget drops what it shows and reloads. */
  reset: { anonymousId: string };
  ready: { anonymousId: string; state: IdentityState };
}

/** What the engine takes from its surroundings; browsers use the defaults. */
export interface EngineEnvironment {
  fetch?: typeof fetch;
  storage?: StorageEnvironment;
  console?: Pick<Console, 'warn' | 'error'>;
}

interface SessionAnswer {
  token: string;
  state: IdentityState;
  userId: string | null;
  expiresAt: number;
  /** Identify only: the profile half of the answer. */
  profile?: ProfileOutcome;
}

const RENEW_BEFORE_EXPIRY_MS = 60_000;
const MIN_RENEW_DELAY_MS = 5_000;

/**
 * The one engine under both client APIs: the anonymous → identified |
 * verified state machine, the widget session token (renewed while the page is
 * open), and the ordering rule that every call made after identify (or init,
 * or resetSession) waits for it to finish. Nothing here throws into the host
 * page: failures become `error` events and a one-line console hint.
 */
export class LumioEngine {
  private readonly events: Emitter<LumioEvents>;
  private readonly transport: HttpTransport;
  private readonly store: AnonymousIdStore;
  private readonly console: Pick<Console, 'warn' | 'error'>;
  private readonly widget: string;
  // The tail of the serialized work (session start, identify, reset).
  private barrier: Promise<unknown> = Promise.resolve();
  private token: string | null = null;
  private renewTimer: ReturnType<typeof setTimeout> | null = null;
  private current: IdentityState = 'anonymous';
  private user: string | null = null;
  private stopped = false;
  private started = false;
  private sessionError = { code: 'network_error', message: 'No Lumio session could be started.' };
  private readonly tracker: EventTracker;
  /** Content cached for this identity (later features); emptied by resetSession. */
  readonly cache = new Map<string, unknown>();

  constructor(options: LumioOptions, env: EngineEnvironment = {}) {
    this.console = env.console ?? console;
    this.widget = options.widgetId;
    this.events = new Emitter((error) => this.console.error('Lumio: an event listener threw', error));
    this.transport = new HttpTransport(options.apiBase ?? defaultApiBase(), options.widgetId, env.fetch);
    this.store = new AnonymousIdStore(options.widgetId, options.persistence ?? 'local', env.storage);
    this.store.load();
    this.tracker = new EventTracker({
      settled: () => this.settled(),
      post: (body, token) =>
        token ? this.transport.post<EventBatchAnswer>('events', body, token) : this.send((t, now) => t.post('events', body, now)),
      keepalive: (body, token) => {
        const bearer = token ?? this.token;
        return !!bearer && this.transport.keepalive('events', body, bearer);
      },
      report: (call, code, message) => this.report(call, code, message),
    });
    this.enqueue(async () => {
      await this.startSession(false);
      this.started = true;
      this.events.emit('ready', { anonymousId: this.anonymousId, state: this.current });
    });
  }

  /** anonymous, identified or verified. */
  get state(): IdentityState {
    return this.current;
  }

  /** The identified user, or null. */
  get userId(): string | null {
    return this.user;
  }

  /** The widget this engine talks to. */
  get widgetId(): string {
    return this.widget;
  }

  /** True once `ready` was emitted: a follower adopting a running engine (widget.js after createLumio) will not hear it again. */
  get isReady(): boolean {
    return this.started;
  }

  /** False once shutdown() ran: the page may then start another engine. */
  get running(): boolean {
    return !this.stopped;
  }

  /** Whether the SDK may keep anything in the browser (`local`) or not yet (`memory`, waiting for consent). */
  get persistence(): Persistence {
    return this.store.persistence;
  }

  /** The anonymous id of this browser for this widget. */
  get anonymousId(): string {
    return this.store.load();
  }

  /** Resolves once everything called so far (init, identify, reset) has finished. */
  settled(): Promise<void> {
    return this.barrier.then(
      () => undefined,
      () => undefined,
    );
  }

  on<K extends keyof LumioEvents>(event: K, listener: (payload: LumioEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  off<K extends keyof LumioEvents>(event: K, listener: (payload: LumioEvents[K]) => void): void {
    this.events.off(event, listener);
  }

  /** Identifies the user; resolves with the outcome, never rejects. Records `$identify` with the outcome. */
  identify(input: IdentifyInput): Promise<IdentifyOutcome> {
    return this.enqueue(async () => {
      const outcome = await this.runIdentify(input);
      if (outcome.ok) this.record('$identify', { outcome: outcome.state });
      else {
        // The userId it tried, as such: the dashboard shows "identify as … failed", never as the user's own action.
        const attempted = normalizeUserId(input?.userId);
        this.record('$identify', {
          outcome: 'failed',
          reason: outcome.code.slice(0, 64),
          ...(attempted.ok ? { attemptedUserId: attempted.value } : {}),
        });
      }
      return outcome;
    });
  }

  /**
   * Records a custom analytics event (`lumio.track`); true when queued. A name
   * starting with `$`, or props that are not flat, are refused with the console
   * line and an `error` event (`invalid_event`), never thrown.
   */
  track(name: string, props?: PropertiesInput): boolean {
    return this.tracker.track(name, props);
  }

  /** Records one of Lumio's own `$…` events (the widget's); typed by name. */
  record<N extends BuiltInEventName>(name: N, ...props: BuiltInEventArgs<N>): void {
    this.tracker.record(name, props[0]);
  }

  /** Sends the analytics events queued so far, after what was called before; resolves when done or failed (retried later). */
  flushEvents(): Promise<void> {
    return this.tracker.flush();
  }

  /** Logout: drops identity, token and cached content, starts a new anonymous id, and tells the widget to reload. */
  resetSession(): Promise<void> {
    return this.enqueue(() => this.runReset());
  }

  /** Switches where the anonymous id is kept (e.g. to `local` once cookies are consented to). */
  setPersistence(mode: Persistence): void {
    this.store.setPersistence(mode);
  }

  /**
   * Runs a widget API call with the session token, after everything called
   * before it; a session that expired meanwhile is renewed once. A failure is
   * reported (console hint and `error`) unless its code is one of `expected`
   * (an answer, like `not_found` for a lookup, rather than a mistake).
   */
  async call<T>(
    name: string,
    run: (transport: HttpTransport, token: string) => Promise<ApiResult<T>>,
    expected: readonly string[] = [],
  ): Promise<ApiResult<T>> {
    await this.settled();
    const result = await this.send(run);
    if (!result.ok && !expected.includes(result.code)) this.report(name, result.code, result.message);
    return result;
  }

  /** What this session may see of its user's profile (GET /me), or null when anonymous. */
  async profile(): Promise<Record<string, unknown> | null> {
    const result = await this.call<{ profile: Record<string, unknown> | null }>('profile', (t, token) => t.get('me', token));
    return result.ok ? result.value.profile : null;
  }

  /** Stops renewing the session and sends the queued events (the page is leaving, or the host shuts the widget down). */
  shutdown(): void {
    this.stopped = true;
    this.tracker.stop();
    if (this.renewTimer) clearTimeout(this.renewTimer);
  }

  // A call with the session token now, without waiting: starts a session if there is none, renews an expired one once.
  private async send<T>(run: (transport: HttpTransport, token: string) => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
    if (!this.token && !(await this.startSession(false))) return { ok: false, status: 0, ...this.sessionError };
    let result = await run(this.transport, this.token!);
    if (!result.ok && result.code === 'invalid_session' && (await this.startSession(false)))
      result = await run(this.transport, this.token!);
    return result;
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.barrier.then(task, task);
    this.barrier = run.catch(() => undefined);
    return run;
  }

  private async runIdentify(input: IdentifyInput): Promise<IdentifyOutcome> {
    const checked = normalizeUserId(input?.userId);
    if (!checked.ok) return this.fail('identify', checked.issue.code, checked.issue.message);
    const userId = checked.value;
    const birthday = this.birthdayOf(input);
    // Identity and profile are separate outcomes (docs/identify.md): a birthday refused here drops the
    // profile part of the call, never the identify, so a verified user keeps their session and private data.
    const localErrors: ProfileFieldError[] =
      birthday && !birthday.ok ? [{ field: 'birthday', code: 'invalid_profile', message: birthday.message }] : [];
    // Another user on this browser: the previous one's identity and content must not carry over.
    if (this.current !== 'anonymous' && this.user !== userId) await this.runReset();
    // The session start reported its own failure already.
    if (!this.token && !(await this.startSession(false))) return { ok: false, ...this.sessionError };
    const { userId: _ignored, ...rest } = input;
    const body: Record<string, unknown> = localErrors.length ? identityPartOf(rest, userId) : { ...rest, userId };
    if (birthday?.ok) {
      body.birthday = birthday.value;
      // A Date left in the alias would go out as an ISO instant; the server reads the top-level field first anyway.
      if (rest.profile?.birthday !== undefined) body.profile = { ...rest.profile, birthday: birthday.value };
    }
    let result = await this.transport.post<SessionAnswer>('identify', body, this.token);
    if (!result.ok && result.code === 'invalid_session' && (await this.startSession(false)))
      result = await this.transport.post<SessionAnswer>('identify', body, this.token);
    if (!result.ok) {
      // A refused identify leaves the session anonymous, even if it was identified before.
      if (this.current !== 'anonymous') {
        this.user = null;
        await this.startSession(false);
      }
      return this.fail('identify', result.code, result.message);
    }
    this.adopt(result.value);
    const state = result.value.state as Exclude<IdentityState, 'anonymous'>;
    this.events.emit('identify', { state, userId });
    const profileErrors = [...localErrors, ...(result.value.profile?.errors ?? [])];
    if (profileErrors.length === 0) return { ok: true, state, userId };
    // One console line and one error event for the whole refused profile, naming every bad field.
    this.report('identify', 'invalid_profile', profileRefusal(profileErrors));
    return { ok: true, state, userId, profileErrors };
  }

  // The birthday converted for the wire, checked before anything is sent (top-level, or the `profile` alias
  // of IdentifyRequest, which the snippet API passes through); undefined when the call has none.
  private birthdayOf(input: IdentifyInput): ReturnType<typeof wireBirthday> | undefined {
    const value = input.birthday !== undefined ? input.birthday : input.profile?.birthday;
    return value === undefined ? undefined : wireBirthday(value);
  }

  private async runReset(): Promise<void> {
    // The events recorded so far are the leaving user's: they go out with this session's token first.
    await this.tracker.seal(this.token);
    this.token = null;
    this.user = null;
    this.cache.clear();
    const anonymousId = this.store.reset();
    this.setState('anonymous');
    await this.startSession(false);
    this.events.emit('reset', { anonymousId });
  }

  /**
   * Starts an anonymous widget session, or with `keepIdentity` renews the
   * current one (the server keeps its identity while the key that verified it
   * still verifies). False when no session could be had.
   */
  private async startSession(keepIdentity: boolean): Promise<boolean> {
    const result = await this.transport.post<SessionAnswer>('session', { anonymousId: this.anonymousId }, keepIdentity ? this.token : null);
    if (!result.ok) {
      // A failed renewal keeps the current token, which stays valid until it expires.
      if (!keepIdentity) this.token = null;
      this.sessionError = { code: result.code, message: result.message };
      this.report('session', result.code, result.message);
      return false;
    }
    this.adopt(result.value);
    return true;
  }

  private adopt(answer: SessionAnswer): void {
    this.token = answer.token;
    this.user = answer.state === 'anonymous' ? null : answer.userId;
    this.setState(answer.state);
    this.scheduleRenewal(answer.expiresAt);
  }

  private scheduleRenewal(expiresAt: number): void {
    if (this.renewTimer) clearTimeout(this.renewTimer);
    if (this.stopped) return;
    const delay = Math.max(MIN_RENEW_DELAY_MS, expiresAt - Date.now() - RENEW_BEFORE_EXPIRY_MS);
    this.renewTimer = setTimeout(() => void this.enqueue(() => this.startSession(true)), delay);
    // In Node (tests, server-side rendering) a pending renewal must not keep the process alive.
    (this.renewTimer as { unref?: () => void }).unref?.();
  }

  private setState(state: IdentityState): void {
    const previous = this.current;
    if (previous === state) return;
    this.current = state;
    this.events.emit('stateChange', { state, previous, userId: this.user });
  }

  private fail(call: string, code: string, message: string): { ok: false; code: string; message: string } {
    this.report(call, code, message);
    return { ok: false, code, message };
  }

  /** Prints the one-line console hint and emits `error` (also for a bad argument caught before any request). */
  report(call: string, code: string, message: string): void {
    this.console.warn(errorHint(code, message));
    this.events.emit('error', { code, message, call });
  }
}

// The identify without its profile: only what proves who the user is.
function identityPartOf(input: Omit<IdentifyInput, 'userId'>, userId: string): Record<string, unknown> {
  const body: Record<string, unknown> = { userId };
  const proof = input as { signature?: string; hmac?: string; token?: string };
  for (const key of ['signature', 'hmac', 'token'] as const) if (proof[key] !== undefined) body[key] = proof[key];
  return body;
}

function profileRefusal(errors: readonly ProfileFieldError[]): string {
  return `${errors.map((e) => `${e.field}: ${e.message}`).join('; ')} (profile not saved; the identify itself succeeded)`;
}

// The script-tag build passes the origin it was loaded from; an npm build on
// the Lumio server's own origin needs no apiBase.
/** The page's own origin, or '' outside a browser. */
export function defaultApiBase(): string {
  return typeof location === 'undefined' ? '' : location.origin;
}
