import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LumioClient } from './lumio-client.js';
import { LumioApiError } from './lumio-api-error.js';
import type { EventsOptions } from './client-config.js';
import { sendJson, startCannedServer, type CannedServer, type RecordedRequest } from '../test-support/canned-server.js';

const API_KEY = 'lak_test_9f8e7d6c5b4a';

let server: CannedServer;
let errors: LumioApiError[];

beforeAll(async () => {
  server = await startCannedServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  errors = [];
  server.handle((request, response) => accept(request, response));
});

/** Answers like the server: every event accepted. */
function accept(request: RecordedRequest, response: Parameters<Parameters<CannedServer['handle']>[0]>[1]) {
  const events = (JSON.parse(request.body) as { events: Array<{ id: string }> }).events;
  sendJson(response, 200, {
    accepted: events.length,
    duplicates: 0,
    rejected: [],
    results: events.map((e, index) => ({ index, id: e.id, status: 'accepted' })),
  });
}

function client(events: EventsOptions = {}): LumioClient {
  return new LumioClient({
    baseUrl: server.baseUrl,
    apiKey: API_KEY,
    events: { retryBaseMs: 5, flushIntervalMs: 60_000, onError: (e) => errors.push(e), ...events },
  });
}

const sent = () => server.requests.map((r) => (JSON.parse(r.body) as { events: Array<Record<string, unknown>> }).events);
const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('lumio.track()', () => {
  it('sends a batch as soon as flushAt events wait, with the API key, ids and times fixed at track time', async () => {
    const lumio = client({ flushAt: 3 });
    const before = Date.now();
    lumio.track({ userId: 'u1', name: 'invoice paid', properties: { amount: 120 } });
    lumio.track({ userId: 42, company: 'acme', name: 'seat added', at: 1_700_000_000_000, id: 'my-key-0001' });
    expect(server.requests).toHaveLength(0);
    lumio.track({ company: 7, name: 'renewed' });
    await until(() => server.requests.length === 1);
    const [request] = server.requests;
    expect([request?.method, request?.url, request?.headers.authorization]).toEqual(['POST', '/server/v1/events', `Bearer ${API_KEY}`]);
    const [batch] = sent();
    expect(batch).toEqual([
      {
        id: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
        name: 'invoice paid',
        at: expect.any(Number),
        userId: 'u1',
        properties: { amount: 120 },
      },
      { id: 'my-key-0001', name: 'seat added', at: 1_700_000_000_000, userId: '42', company: 'acme' },
      { id: expect.any(String), name: 'renewed', at: expect.any(Number), company: '7' },
    ]);
    expect(batch![0]!.at as number).toBeGreaterThanOrEqual(before);
    expect(new Set(batch!.map((e) => e.id)).size).toBe(3);
    await lumio.shutdown();
  });

  it('sends what waits every flushIntervalMs', async () => {
    const lumio = client({ flushAt: 100, flushIntervalMs: 30 });
    lumio.track({ userId: 'u1', name: 'a' });
    await until(() => server.requests.length === 1);
    lumio.track({ userId: 'u1', name: 'b' });
    await until(() => server.requests.length === 2);
    expect(sent().map((b) => b.map((e) => e.name))).toEqual([['a'], ['b']]);
    await lumio.shutdown();
  });

  it('flush() sends everything in order, in batches of at most 100, and resolves once stored', async () => {
    const lumio = client({ flushAt: 100 });
    for (let i = 0; i < 250; i++) lumio.track({ userId: 'u1', name: `e${i}` });
    await lumio.flush();
    expect(sent().map((b) => b.length)).toEqual([100, 100, 50]);
    expect(
      sent()
        .flat()
        .map((e) => e.name),
    ).toEqual(Array.from({ length: 250 }, (_, i) => `e${i}`));
    await lumio.flush(); // nothing waits: resolves at once
    expect(server.requests).toHaveLength(3);
    await lumio.shutdown();
  });

  it('retries a 503 and a network failure with the same event ids until stored', async () => {
    let calls = 0;
    server.handle((request, response) => {
      calls++;
      if (calls === 1) return sendJson(response, 503, { error: { code: 'storage_unavailable', message: 'down' } });
      // A dropped connection: no answer at all.
      if (calls === 2) return response.socket?.destroy();
      accept(request, response);
    });
    const lumio = client();
    lumio.track({ userId: 'u1', name: 'a' });
    lumio.track({ userId: 'u2', name: 'b' });
    await lumio.flush();
    expect(server.requests).toHaveLength(3);
    expect(new Set(server.requests.map((r) => r.body)).size).toBe(1);
    expect(errors).toEqual([]);
    await lumio.shutdown();
  });

  it('reports a refusal that a retry cannot fix (401) and per-event rejections, and drops those events', async () => {
    server.handle((_request, response) => sendJson(response, 401, { error: { code: 'invalid_api_key', message: 'Unknown key.' } }));
    const lumio = client();
    lumio.track({ userId: 'u1', name: 'a' });
    await lumio.flush();
    expect(server.requests).toHaveLength(1);
    expect(errors.map((e) => [e.code, e.status])).toEqual([['invalid_api_key', 401]]);

    server.handle((_request, response) =>
      sendJson(response, 200, {
        accepted: 0,
        duplicates: 0,
        rejected: [{ index: 0, code: 'invalid_event', message: 'Event name "x" is not allowed' }],
        results: [{ index: 0, status: 'rejected', code: 'invalid_event', message: 'Event name "x" is not allowed' }],
      }),
    );
    lumio.track({ userId: 'u1', name: 'x' });
    await lumio.flush();
    expect(errors[1]).toMatchObject({ code: 'invalid_event', details: { rejected: [{ index: 0, code: 'invalid_event' }] } });
    await lumio.shutdown();
  });

  it('halves a batch the server finds too large (413) and sends both halves', async () => {
    server.handle((request, response) => {
      const events = (JSON.parse(request.body) as { events: unknown[] }).events;
      if (events.length > 2) return sendJson(response, 413, { error: { code: 'payload_too_large', message: 'Too large.' } });
      accept(request, response);
    });
    const lumio = client({ flushAt: 100 });
    for (let i = 0; i < 5; i++) lumio.track({ userId: 'u1', name: `e${i}` });
    await lumio.flush();
    const stored = sent().filter((b) => b.length <= 2);
    expect(stored.flat().map((e) => e.name)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    expect(errors).toEqual([]);
    await lumio.shutdown();
  });

  it('holds at most maxQueueSize events while the server is down, dropping (and reporting) the oldest', async () => {
    server.handle((_request, response) => sendJson(response, 503, { error: { code: 'storage_unavailable', message: 'down' } }));
    const lumio = client({ flushAt: 100, maxQueueSize: 3 });
    for (const id of ['id-000001', 'id-000002', 'id-000003', 'id-000004', 'id-000005']) lumio.track({ userId: 'u1', name: 'n', id });
    expect(errors.map((e) => [e.code, e.details?.['dropped']])).toEqual([
      ['events_dropped', ['id-000001']],
      ['events_dropped', ['id-000002']],
    ]);
    await expect(lumio.flush({ timeoutMs: 100 })).rejects.toMatchObject({ code: 'flush_timeout' });
    // Back up: the three newest are stored.
    server.handle(accept);
    await lumio.flush();
    expect(
      sent()
        .at(-1)!
        .map((e) => e.id),
    ).toEqual(['id-000003', 'id-000004', 'id-000005']);
    await lumio.shutdown();
  });

  it('shutdown() sends what waits, then refuses new events; with the server down it drops and reports, never rejects', async () => {
    const lumio = client({ flushAt: 100 });
    lumio.track({ userId: 'u1', name: 'last' });
    expect(await lumio.shutdown()).toEqual({ dropped: 0 });
    expect(
      sent()
        .flat()
        .map((e) => e.name),
    ).toEqual(['last']);
    expect(() => lumio.track({ userId: 'u1', name: 'late' })).toThrow(expect.objectContaining({ code: 'client_closed' }));

    server.handle((_request, response) => sendJson(response, 502, {}));
    const down = client({ flushAt: 100 });
    down.track({ userId: 'u1', name: 'a', id: 'lost-00001' });
    expect(await down.shutdown({ timeoutMs: 100 })).toEqual({ dropped: 1 });
    expect(errors.at(-1)).toMatchObject({ code: 'events_dropped', details: { dropped: ['lost-00001'] } });
    // A request already on the wire at shutdown may still arrive; none starts after it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const requests = server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    // Stopped: no retry after shutdown.
    expect(server.requests.length).toBe(requests);
  });

  it('throws a TypeError for a malformed event, where it was made', () => {
    const lumio = client();
    expect(() => lumio.track({ name: 'no subject' })).toThrow(TypeError);
    expect(() => lumio.track({ userId: 'u', name: '' })).toThrow(TypeError);
    expect(() => lumio.track({ userId: '', name: 'x' })).toThrow(TypeError);
    expect(() => lumio.track({ userId: 'u', name: 'x', id: 'short' })).toThrow(TypeError);
    expect(() => lumio.track({ userId: 'u', name: 'x', at: 1.5 })).toThrow(TypeError);
    // The server refuses a whole request with U+0000 in it: refused here, it cannot cost the rest of a batch.
    expect(() => lumio.track({ userId: 'u', name: 'x', properties: { note: 'a\u0000b' } })).toThrow(TypeError);
    expect(() => new LumioClient({ baseUrl: server.baseUrl, apiKey: API_KEY, events: { flushAt: 101 } })).toThrow(/flushAt/);
  });
});
