import { EVENT_ID_PATTERN, validateAnalyticsEvent, type AnalyticsEventInput } from '@lumio/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LumioEngine, type LumioEvents } from '../engine/lumio-engine.js';
import { CookieJar, MemoryStorage, fakeWidgetApi, recordingConsole, type RecordedCall } from '../test-support/fake-widget-api.js';
import { newEventId } from './event-tracker.js';

const NOW = Date.UTC(2026, 10, 22, 9, 0, 0);

function setup() {
  const api = fakeWidgetApi();
  const out = recordingConsole();
  const engine = new LumioEngine(
    { widgetId: 'wgt_1', apiBase: 'https://lumio.test' },
    { fetch: api.fetch, console: out.console, storage: { localStorage: () => new MemoryStorage(), document: new CookieJar() } },
  );
  const errors: Array<LumioEvents['error']> = [];
  engine.on('error', (e) => errors.push(e));
  const posts = () => api.calls.filter((c) => c.path === 'events');
  return { api, out, engine, errors, posts };
}

const eventsOf = (call: RecordedCall) => call.body!.events as AnalyticsEventInput[];
const names = (call: RecordedCall) => eventsOf(call).map((e) => e.name);

describe('EventTracker (through the engine)', () => {
  beforeEach(() => vi.useFakeTimers({ now: NOW }));
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('sends events in one batch a few seconds after the first, each with a unique time-ordered id and its time', async () => {
    const { engine, posts } = setup();
    await engine.settled();
    engine.track('report_exported', { format: 'csv', rows: 120, tags: ['a', 'b'] });
    await vi.advanceTimersByTimeAsync(1000);
    engine.record('$article_viewed', { articleId: 'art_1' });
    engine.record('$widget_opened');
    await vi.advanceTimersByTimeAsync(3999);
    expect(posts()).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(posts()).toHaveLength(1);
    const [batch] = posts();
    expect(batch!.token).toBe(`tok-anon-1-${engine.anonymousId}`);
    const events = eventsOf(batch!);
    expect(events).toEqual([
      { id: expect.any(String), name: 'report_exported', at: NOW, props: { format: 'csv', rows: 120, tags: ['a', 'b'] } },
      { id: expect.any(String), name: '$article_viewed', at: NOW + 1000, props: { articleId: 'art_1' } },
      { id: expect.any(String), name: '$widget_opened', at: NOW + 1000 },
    ]);
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
    // What the SDK builds passes the server's own validator.
    for (const event of events) expect(validateAnalyticsEvent(event, NOW + 5000)).toMatchObject({ ok: true });
  });

  it('makes ids of 26 characters that sort by time and do not repeat', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => newEventId(NOW + Math.floor(i / 10)));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(EVENT_ID_PATTERN);
    expect(ids.every((id) => id.length === 26)).toBe(true);
    const prefixes = ids.map((id) => id.slice(0, 10));
    expect([...prefixes].sort()).toEqual(prefixes);
    expect(newEventId(NOW + 1) > newEventId(NOW)).toBe(true);
  });

  it('flushes at once when a batch is full', async () => {
    const { engine, posts } = setup();
    await engine.settled();
    for (let i = 0; i < 50; i++) engine.track('clicked', { i });
    await vi.advanceTimersByTimeAsync(0);
    expect(posts()).toHaveLength(1);
    expect(eventsOf(posts()[0]!)).toHaveLength(50);
  });

  it('retries a batch the server could not take (5xx, network down) with the same ids, quietly', async () => {
    const { api, engine, posts, out } = setup();
    await engine.settled();
    let failures = 2;
    api.answer('events', (call) =>
      failures-- > 0
        ? { status: 503, json: { error: { code: 'unavailable', message: 'down' } } }
        : { status: 200, json: { accepted: eventsOf(call).length, duplicates: 0, rejected: [] } },
    );
    engine.track('a');
    engine.track('b');
    await engine.flushEvents();
    expect(posts()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(2000);
    expect(posts()).toHaveLength(3);
    const ids = posts().map((c) => eventsOf(c).map((e) => `${e.id}@${e.at}`));
    expect(ids[1]).toEqual(ids[0]);
    expect(ids[2]).toEqual(ids[0]);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(posts()).toHaveLength(3);
    expect(out.lines).toEqual([]);
  });

  it('keeps the batch on 429 (rate limit or quota) and sends it again after the back-off', async () => {
    const { api, engine, posts, errors } = setup();
    await engine.settled();
    api.refuse('events', 'events_quota_exceeded', 429);
    engine.track('a');
    await engine.flushEvents();
    api.refuse('events', 'rate_limited', 429);
    await vi.advanceTimersByTimeAsync(1000);
    expect(posts()).toHaveLength(2);
    api.answer('events', () => ({ status: 200, json: { accepted: 1, duplicates: 0, rejected: [] } }));
    await vi.advanceTimersByTimeAsync(2000);
    expect(posts()).toHaveLength(3);
    expect(new Set(posts().map((c) => eventsOf(c)[0]!.id)).size).toBe(1);
    expect(errors).toEqual([]);
  });

  it('drops a batch the server refuses as a whole (400, 413), with one console line', async () => {
    const { api, engine, posts, out, errors } = setup();
    await engine.settled();
    api.refuse('events', 'too_many_events', 413);
    engine.track('a');
    await engine.flushEvents();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(posts()).toHaveLength(1);
    expect(out.lines).toEqual(['Lumio: too_many_events: refused: too_many_events']);
    expect(errors).toEqual([{ code: 'too_many_events', message: 'refused: too_many_events', call: 'track' }]);
    // The queue goes on with the next events.
    api.refuse('events', 'invalid_request', 400);
    engine.track('b');
    await engine.flushEvents();
    expect(posts().map(names)).toEqual([['a'], ['b']]);
  });

  it('does not retry events the server rejected one by one, and says so in one line per batch', async () => {
    const { api, engine, posts, out, errors } = setup();
    await engine.settled();
    api.answer('events', (call) => ({
      status: 200,
      json: {
        accepted: 1,
        duplicates: 0,
        rejected: eventsOf(call)
          .slice(1)
          .map((e, i) => ({ index: i + 1, id: e.id, code: 'event_time_out_of_range', message: 'check the clock' })),
      },
    }));
    engine.track('a');
    engine.track('b');
    engine.track('c');
    await engine.flushEvents();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(posts()).toHaveLength(1);
    expect(out.lines).toEqual(['Lumio: event_time_out_of_range: 2 of 3 events were refused; the first: check the clock']);
    expect(errors).toHaveLength(1);
  });

  it('sends events recorded before identify with the identified session, once identify has finished', async () => {
    const { api, engine, posts } = setup();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    api.answer('identify', async (call) => {
      await gate;
      return { status: 200, json: { token: 'tok-u1', state: 'verified', userId: call.body?.userId, expiresAt: Date.now() + 900_000 } };
    });
    engine.track('landing_viewed');
    const identified = engine.identify({ userId: 'u1', signature: 'ok' });
    // The flush is due while identify is still on its way: it waits.
    await vi.advanceTimersByTimeAsync(6000);
    expect(posts()).toHaveLength(0);
    release();
    await identified;
    await vi.advanceTimersByTimeAsync(5000);
    // The batch taken while identify was on its way, then $identify in the next one.
    expect(posts().map((c) => [c.token, names(c)])).toEqual([
      ['tok-u1', ['landing_viewed']],
      ['tok-u1', ['$identify']],
    ]);
  });

  it('records $identify after each identify, with the outcome, or the reason it failed and the userId it tried', async () => {
    const { api, engine, posts } = setup();
    await engine.identify({ userId: 'u1', signature: 'ok' });
    await engine.identify({ userId: 'u1' });
    api.refuse('identify', 'invalid_signature');
    await engine.identify({ userId: 'bob', signature: 'bad' });
    await engine.identify({ userId: '' });
    await engine.flushEvents();
    const sent = posts().flatMap(eventsOf);
    expect(sent.map((e) => [e.name, e.props])).toEqual([
      ['$identify', { outcome: 'verified' }],
      ['$identify', { outcome: 'identified' }],
      ['$identify', { outcome: 'failed', reason: 'invalid_signature', attemptedUserId: 'bob' }],
      ['$identify', { outcome: 'failed', reason: 'invalid_user_id' }],
    ]);
    for (const event of sent) expect(validateAnalyticsEvent(event, Date.now())).toMatchObject({ ok: true });
  });

  it('refuses bad custom events locally with one console line and an error event, and queues nothing', async () => {
    const { engine, posts, out, errors } = setup();
    await engine.settled();
    const bad: Array<[unknown, unknown?]> = [
      ['$widget_opened'],
      [''],
      [42],
      ['x'.repeat(65)],
      ['-starts-with-a-dash'],
      ['ok', { nested: { a: 1 } }],
      ['ok', { list: [1, 2] }],
      ['ok', { 'dotted.key': 1 }],
      ['ok', { n: Number.NaN }],
      ['ok', ['a']],
      ['ok', Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`k${i}`, i]))],
      ['ok', { long: 'x'.repeat(4100) }],
    ];
    for (const [name, props] of bad) expect(engine.track(name as string, props as never)).toBe(false);
    expect(out.lines).toHaveLength(bad.length);
    expect(out.lines[0]).toMatch(
      /^Lumio: invalid_event: track: "\$widget_opened" is not an event name: .* \("\$" names are Lumio's own\)$/,
    );
    expect(out.lines[5]).toMatch(/^Lumio: invalid_event: track: prop "nested" must be .* string, number, boolean or list of strings/);
    expect(out.lines.every((l) => l.startsWith('Lumio: invalid_event: track: '))).toBe(true);
    expect(errors.every((e) => e.code === 'invalid_event' && e.call === 'track')).toBe(true);
    expect(engine.track('Café ordered: v2/beta', { plan: 'pro', seats: 3, trial: false, tags: ['x'], gone: null })).toBe(true);
    await engine.flushEvents();
    expect(posts().map(names)).toEqual([['Café ordered: v2/beta']]);
    expect(validateAnalyticsEvent(eventsOf(posts()[0]!)[0], Date.now())).toMatchObject({ ok: true });
  });

  it('keeps the props as they were when tracked', async () => {
    const { engine, posts } = setup();
    const props = { tags: ['a'] };
    engine.track('tagged', props);
    props.tags.push('b');
    await engine.flushEvents();
    expect(eventsOf(posts()[0]!)[0]!.props).toEqual({ tags: ['a'] });
  });

  it('on logout sends the events so far with the old session first, then goes on with the new one', async () => {
    const { api, engine, posts } = setup();
    await engine.identify({ userId: 'u1', signature: 'ok' });
    engine.track('before_logout');
    await engine.resetSession();
    const paths = api.calls.map((c) => c.path);
    expect(paths.slice(-2)).toEqual(['events', 'session']);
    expect(posts().map((c) => [c.token, names(c)])).toEqual([['tok-user-u1', ['$identify', 'before_logout']]]);
    engine.track('after_logout');
    await engine.flushEvents();
    expect(posts()[1]).toMatchObject({ token: `tok-anon-2-${engine.anonymousId}` });
    expect(names(posts()[1]!)).toEqual(['after_logout']);
  });

  it('keeps a batch waiting for a logout with the old session, and retries it with that session', async () => {
    const { api, engine, posts } = setup();
    await engine.identify({ userId: 'u1', signature: 'ok' });
    api.refuse('events', 'unavailable', 503);
    engine.track('mine');
    const reset = engine.resetSession();
    // A flush that began after the logout was called waits behind it, yet its events are u1's.
    const flushed = engine.flushEvents();
    await reset;
    await flushed;
    expect(posts().map((c) => c.token)).toEqual(['tok-user-u1']);
    api.answer('events', () => ({ status: 200, json: { accepted: 2, duplicates: 0, rejected: [] } }));
    engine.track('theirs');
    await vi.advanceTimersByTimeAsync(5000);
    expect(posts().map((c) => [c.token, names(c)])).toEqual([
      ['tok-user-u1', ['$identify', 'mine']],
      ['tok-user-u1', ['$identify', 'mine']],
      [`tok-anon-2-${engine.anonymousId}`, ['theirs']],
    ]);
  });

  it('sends the events of the previous user with their session when another user identifies', async () => {
    const { engine, posts } = setup();
    await engine.identify({ userId: 'u1', signature: 'ok' });
    engine.track('by_u1');
    await engine.identify({ userId: 'u2', signature: 'ok' });
    engine.track('by_u2');
    await engine.flushEvents();
    expect(posts().map((c) => [c.token, names(c)])).toEqual([
      ['tok-user-u1', ['$identify', 'by_u1']],
      ['tok-user-u2', ['$identify', 'by_u2']],
    ]);
  });

  it('hands what is queued to a keepalive request with the session token when the page hides', async () => {
    const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    vi.stubGlobal('document', doc);
    const { engine, posts } = setup();
    await engine.settled();
    engine.track('a');
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(posts()).toHaveLength(0);
    doc.visibilityState = 'hidden';
    doc.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(0);
    expect(posts()).toEqual([expect.objectContaining({ method: 'POST', keepalive: true, token: `tok-anon-1-${engine.anonymousId}` })]);
    // Handed over: nothing is left for the timer.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(posts()).toHaveLength(1);
    engine.shutdown();
    engine.track('b');
    doc.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(0);
    expect(posts()).toHaveLength(1);
  });
});
