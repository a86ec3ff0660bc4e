import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LumioClient } from './lumio-client.js';
import { LumioApiError } from './lumio-api-error.js';
import type { User } from './types.js';
import { sendJson, startCannedServer, type CannedServer } from '../test-support/canned-server.js';

const API_KEY = 'lak_test_9f8e7d6c5b4a';

function user(userId: string): User {
  return {
    userId,
    name: null,
    email: null,
    birthday: null,
    gender: null,
    properties: {},
    trust: 'verified',
    sources: {},
    createdAt: Date.UTC(2025, 0, 1),
    updatedAt: Date.UTC(2025, 0, 1),
    lastSeenAt: null,
  };
}

async function rejection(promise: Promise<unknown>): Promise<LumioApiError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(LumioApiError);
  return error as LumioApiError;
}

let server: CannedServer;
let lumio: LumioClient;

beforeAll(async () => {
  server = await startCannedServer();
  lumio = new LumioClient({ baseUrl: server.baseUrl, apiKey: API_KEY });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.handle((_request, response) => sendJson(response, 200, {}));
});

describe('LumioClient users', () => {
  it('upserts with PUT, an encoded userId, the API key and a JSON body', async () => {
    const stored = { ...user('a/b é'), email: 'ada@example.com', properties: { plan: 'pro' } };
    server.handle((_request, response) => sendJson(response, 200, stored));

    const result = await lumio.users.upsert('a/b é', { email: 'ada@example.com', properties: { plan: 'pro', legacy: null } });

    expect(result).toEqual(stored);
    const [request] = server.requests;
    expect(request?.method).toBe('PUT');
    expect(request?.url).toBe('/server/v1/users/a%2Fb%20%C3%A9');
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({ email: 'ada@example.com', properties: { plan: 'pro', legacy: null } });
  });

  it('addresses a numeric userId by its decimal string', async () => {
    await lumio.users.get(42);
    expect(server.requests[0]?.url).toBe('/server/v1/users/42');
  });

  it('gets, exports and erases with the right method and path', async () => {
    server.handle((request, response) => {
      if (request.method === 'DELETE') return sendJson(response, 200, { erased: true, events: 3 });
      if (request.url.endsWith('/export')) return sendJson(response, 200, { user: user('u 1'), events: [] });
      return sendJson(response, 200, user('u 1'));
    });

    expect(await lumio.users.get('u 1')).toEqual(user('u 1'));
    expect(await lumio.users.export('u 1')).toEqual({ user: user('u 1'), events: [] });
    expect(await lumio.users.erase('u 1')).toEqual({ erased: true, events: 3 });
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /server/v1/users/u%201',
      'GET /server/v1/users/u%201/export',
      'DELETE /server/v1/users/u%201',
    ]);
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${API_KEY}` && r.body === '')).toBe(true);
  });

  it('lists with limit and cursor in the query, and without them when absent', async () => {
    server.handle((_request, response) => sendJson(response, 200, { users: [user('u1')], nextCursor: 'c2' }));

    expect(await lumio.users.list({ limit: 50, cursor: 'c1/+=' })).toEqual({ users: [user('u1')], nextCursor: 'c2' });
    await lumio.users.list();
    expect(server.requests.map((r) => r.url)).toEqual(['/server/v1/users?limit=50&cursor=c1%2F%2B%3D', '/server/v1/users']);
  });

  it('iterates over every page following nextCursor', async () => {
    const pages: Record<string, { users: User[]; nextCursor: string | null }> = {
      '': { users: [user('u1'), user('u2')], nextCursor: 'p2' },
      p2: { users: [user('u3'), user('u4')], nextCursor: 'p3' },
      p3: { users: [user('u5')], nextCursor: null },
    };
    server.handle((request, response) => {
      const cursor = new URL(request.url, 'http://x').searchParams.get('cursor') ?? '';
      sendJson(response, 200, pages[cursor]);
    });

    const seen: string[] = [];
    for await (const each of lumio.users.iterate({ limit: 2 })) seen.push(each.userId);

    expect(seen).toEqual(['u1', 'u2', 'u3', 'u4', 'u5']);
    expect(server.requests.map((r) => r.url)).toEqual([
      '/server/v1/users?limit=2',
      '/server/v1/users?limit=2&cursor=p2',
      '/server/v1/users?limit=2&cursor=p3',
    ]);
  });

  it('stops iterating with an error when the server repeats a cursor', async () => {
    server.handle((_request, response) => sendJson(response, 200, { users: [user('u1')], nextCursor: 'same' }));
    const loop = async () => {
      for await (const _ of lumio.users.iterate()) {
        // drain
      }
    };
    expect((await rejection(loop())).code).toBe('invalid_response');
    expect(server.requests).toHaveLength(2);
  });

  it('refuses an invalid userId before sending anything', async () => {
    await expect(lumio.users.get('')).rejects.toThrow(TypeError);
    await expect(lumio.users.erase(1.5)).rejects.toThrow(TypeError);
    // URL parsing would turn these into /server/v1/users/ and /server/v1/.
    await expect(lumio.users.erase('..')).rejects.toThrow(/cannot be addressed/);
    await expect(lumio.users.get('.')).rejects.toThrow(/cannot be addressed/);
    await expect(lumio.users.list({ limit: 0 })).rejects.toThrow(/limit/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('LumioClient errors', () => {
  it('maps a Lumio error body to LumioApiError with code, status, details and requestId', async () => {
    server.handle((_request, response) =>
      sendJson(response, 400, {
        error: {
          code: 'invalid_profile',
          message: 'email must look like name@example.com.',
          details: { field: 'email' },
          requestId: 'req_1',
        },
      }),
    );
    const error = await rejection(lumio.users.upsert('u1', { email: 'nope' }));
    expect(error).toMatchObject({
      name: 'LumioApiError',
      code: 'invalid_profile',
      status: 400,
      message: 'email must look like name@example.com.',
      details: { field: 'email' },
      requestId: 'req_1',
    });
  });

  it('takes the request id from the x-request-id header when the body has none', async () => {
    server.handle((_request, response) =>
      sendJson(
        response,
        404,
        { error: { code: 'not_found', message: 'No such resource in this workspace.' } },
        { 'x-request-id': 'req_2' },
      ),
    );
    const error = await rejection(lumio.users.get('ghost'));
    expect(error).toMatchObject({ code: 'not_found', status: 404, requestId: 'req_2', details: undefined });
  });

  it('reports a non-Lumio error answer as invalid_response with its status', async () => {
    server.handle((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html>Bad Gateway</html>');
    });
    const error = await rejection(lumio.users.get('u1'));
    expect(error).toMatchObject({ code: 'invalid_response', status: 502, details: { body: '<html>Bad Gateway</html>' } });
  });

  it('turns a server that never answers into network_error after timeoutMs', async () => {
    server.handle(() => {
      // Never answer.
    });
    const impatient = new LumioClient({ baseUrl: server.baseUrl, apiKey: API_KEY, timeoutMs: 100 });
    const started = Date.now();
    const error = await rejection(impatient.users.get('u1'));
    expect(error).toMatchObject({ code: 'network_error', status: 0, details: { timedOut: true } });
    expect(error.message).toMatch(/timed out after 100 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('turns a refused connection into network_error', async () => {
    const closed = await startCannedServer();
    await closed.close();
    const error = await rejection(new LumioClient({ baseUrl: closed.baseUrl, apiKey: API_KEY }).users.get('u1'));
    expect(error).toMatchObject({ code: 'network_error', status: 0, details: { timedOut: false } });
    expect(error.message).toMatch(/ECONNREFUSED/);
  });
});

describe('LumioClient configuration', () => {
  it('keeps a path prefix of baseUrl and drops its trailing slash', async () => {
    const prefixed = new LumioClient({ baseUrl: `${server.baseUrl}/lumio/`, apiKey: API_KEY });
    await prefixed.users.get('u1');
    expect(server.requests[0]?.url).toBe('/lumio/server/v1/users/u1');
  });

  it('uses the fetch it is given', async () => {
    const calls: string[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      calls.push(String(input));
      return fetch(input, init);
    };
    await new LumioClient({ baseUrl: server.baseUrl, apiKey: API_KEY, fetch: recordingFetch }).users.get('u1');
    expect(calls).toEqual([`${server.baseUrl}/server/v1/users/u1`]);
  });

  it('neither mutates the options object nor reads it again later', async () => {
    const options = { baseUrl: server.baseUrl, apiKey: API_KEY };
    const client = new LumioClient(options);
    expect(options).toEqual({ baseUrl: server.baseUrl, apiKey: API_KEY });
    options.apiKey = 'changed_later';
    await client.users.get('u1');
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it.each([
    [{ baseUrl: 'lumio.example.com', apiKey: API_KEY }, /baseUrl/],
    [{ baseUrl: 'ftp://lumio.example.com', apiKey: API_KEY }, /baseUrl/],
    [{ baseUrl: 'https://user:pw@lumio.example.com', apiKey: API_KEY }, /baseUrl/],
    [{ baseUrl: 'https://lumio.example.com', apiKey: '' }, /apiKey/],
    [{ baseUrl: 'https://lumio.example.com', apiKey: `${API_KEY}\n` }, /apiKey/],
    [{ baseUrl: 'https://lumio.example.com', apiKey: API_KEY, timeoutMs: 0 }, /timeoutMs/],
    [{ baseUrl: 'https://lumio.example.com', apiKey: API_KEY, timeoutMs: 2 ** 31 }, /timeoutMs/],
    [{ baseUrl: 'https://lumio.example.com', apiKey: API_KEY, fetch: 'fetch' }, /fetch/],
  ])('refuses bad options at construction: %j', (options, message) => {
    expect(() => new LumioClient(options as never)).toThrow(message);
  });
});
