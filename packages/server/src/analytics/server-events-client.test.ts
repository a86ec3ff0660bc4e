import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LumioClient, type LumioApiError } from '@lumio/node';
import { DIALECTS, TestClock, createTestApp, type TestApp } from '../test-support/test-app.js';
import { createApiKey, setupOwner, type Session } from '../test-support/api-helpers.js';

/**
 * A small real proxy on 127.0.0.1 in front of Lumio: `down` answers 503
 * itself; `lose-answer` forwards the request (Lumio stores it) and then
 * answers the client 503, as when a load balancer drops the answer;
 * `pass` forwards.
 */
async function startProxy(target: string) {
  const state = { mode: 'pass' as 'pass' | 'down' | 'lose-answer', requests: 0 };
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    state.requests++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (state.mode === 'down') {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('upstream unavailable');
        return;
      }
      const mode = state.mode;
      const forward = httpRequest(
        { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => body.push(chunk));
          answer.on('end', () => {
            if (mode === 'lose-answer') res.writeHead(503, { 'content-type': 'text/plain' }).end('answer lost');
            else res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(body));
          });
        },
      );
      forward.on('error', () => res.writeHead(502).end());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    state,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

for (const dialect of DIALECTS) {
  describe(`@lumio/node track() against a real server [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let key: string;
    let proxy: Awaited<ReturnType<typeof startProxy>>;

    beforeAll(async () => {
      // The client stamps events with the real time: the server's clock must agree.
      t = await createTestApp(dialect, {
        clock: new TestClock(Date.now()),
        config: { rateLimits: { eventsPerWorkspacePerMinute: 10_000 } },
      });
      owner = await setupOwner(t);
      key = await createApiKey(t, owner);
      proxy = await startProxy(await t.app.listen({ port: 0, host: '127.0.0.1' }));
    });
    afterAll(async () => {
      await proxy?.close();
      await t?.close();
    });

    const stored = (userId: string) =>
      t.deps.db
        .selectFrom('events')
        .select(['event_id', 'name', 'user_id', 'company_id'])
        .where('workspace_id', '=', owner.workspaceId)
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute();

    it('tracks, batches and flushes events into the workspace', async () => {
      proxy.state.mode = 'pass';
      const errors: LumioApiError[] = [];
      const lumio = new LumioClient({ baseUrl: proxy.url, apiKey: key, events: { flushAt: 100, onError: (e) => errors.push(e) } });
      for (let i = 0; i < 150; i++) lumio.track({ userId: 'node-1', company: 'acme', name: 'report exported', properties: { n: i } });
      lumio.track({ company: 'acme', name: 'plan changed' });
      await lumio.flush();
      const rows = await stored('node-1');
      expect(rows).toHaveLength(150);
      expect(rows.every((r) => r.company_id === 'acme')).toBe(true);
      expect(errors).toEqual([]);
      await lumio.shutdown();
    });

    it('rides out a server that answers 503 and then recovers, storing each event once', async () => {
      const errors: LumioApiError[] = [];
      const lumio = new LumioClient({
        baseUrl: proxy.url,
        apiKey: key,
        events: { flushAt: 100, retryBaseMs: 20, onError: (e) => errors.push(e) },
      });
      proxy.state.mode = 'down';
      const before = proxy.state.requests;
      for (let i = 0; i < 30; i++) lumio.track({ userId: 'node-down', name: 'synced', properties: { i } });
      await expect(lumio.flush({ timeoutMs: 300 })).rejects.toMatchObject({ code: 'flush_timeout' });
      expect(proxy.state.requests - before).toBeGreaterThan(1);
      expect(await stored('node-down')).toEqual([]);
      proxy.state.mode = 'pass';
      await lumio.flush();
      expect(await stored('node-down')).toHaveLength(30);
      expect(errors).toEqual([]);
      await lumio.shutdown();
    });

    it('is idempotent across retries: an answer lost after the server stored the batch does not store it twice', async () => {
      const lumio = new LumioClient({ baseUrl: proxy.url, apiKey: key, events: { flushAt: 100, retryBaseMs: 20 } });
      proxy.state.mode = 'lose-answer';
      for (let i = 0; i < 10; i++) lumio.track({ userId: 'node-lost', name: 'charged', properties: { i } });
      await expect(lumio.flush({ timeoutMs: 300 })).rejects.toMatchObject({ code: 'flush_timeout' });
      // Lumio stored the batch the first time; the client never heard.
      expect(await stored('node-lost')).toHaveLength(10);
      proxy.state.mode = 'pass';
      await lumio.flush();
      const rows = await stored('node-lost');
      expect(rows).toHaveLength(10);
      expect(new Set(rows.map((r) => r.event_id)).size).toBe(10);
      const daily = await t.deps.db
        .selectFrom('event_daily')
        .select('events')
        .where('workspace_id', '=', owner.workspaceId)
        .where('person', '=', 'u:node-lost')
        .execute();
      expect(daily.reduce((sum, d) => sum + Number(d.events), 0)).toBe(10);
      await lumio.shutdown();
    });

    it('reports the events the server refuses, and stores the rest of their batch', async () => {
      proxy.state.mode = 'pass';
      const errors: LumioApiError[] = [];
      const lumio = new LumioClient({ baseUrl: proxy.url, apiKey: key, events: { flushAt: 100, onError: (e) => errors.push(e) } });
      lumio.track({ userId: 'node-mixed', name: 'fine' });
      lumio.track({ userId: 'node-mixed', name: 'nested', properties: { deep: ['a'], tooLong: 'x'.repeat(5000) } });
      lumio.track({ userId: 'node-mixed', name: 'fine too' });
      await lumio.flush();
      expect((await stored('node-mixed')).map((r) => r.name)).toEqual(['fine', 'fine too']);
      expect(errors.map((e) => e.details?.['rejected'])).toEqual([[expect.objectContaining({ index: 1, code: 'invalid_event' })]]);
      await lumio.shutdown();
    });
  });
}
