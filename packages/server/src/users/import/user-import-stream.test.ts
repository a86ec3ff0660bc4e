import http from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, createTestApp, type TestApp } from '../../test-support/test-app.js';
import { call, createApiKey, setupOwner, type Session } from '../../test-support/api-helpers.js';
import { csvRows } from './csv-rows.js';

/** Sends a streamed body over a real socket and answers the parsed JSON reply. */
function postStream(baseUrl: string, key: string, contentType: string, body: Readable): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${baseUrl}/server/v1/users/import`,
      { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': contentType, 'transfer-encoding': 'chunked' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }));
      },
    );
    request.on('error', reject);
    body.pipe(request);
  });
}

/** `count` CSV rows, made as they are read (the test never holds the file either). */
function csvStream(count: number, prefix: string, padding = ''): Readable {
  let i = 0;
  return new Readable({
    read() {
      if (i === 0) this.push('user_id,name,email,properties.plan,properties.seats,properties.note\n');
      const lines: string[] = [];
      for (let end = Math.min(i + 2000, count); i < end; i++)
        lines.push(`${prefix}${i},Name ${i},u${i}@example.com,pro,${i % 50},${padding}`);
      this.push(lines.length ? `${lines.join('\n')}\n` : null);
      if (lines.length && i >= count) this.push(null);
    },
  });
}

for (const dialect of DIALECTS) {
  describe(`bulk import: webhooks, streaming, responsiveness [${dialect}]`, () => {
    let t: TestApp;
    let owner: Session;
    let key: string;
    let baseUrl: string;
    const post = (payload: string, contentType = 'text/csv') =>
      call(t.app, { method: 'POST', url: '/server/v1/users/import', bearer: key, headers: { 'content-type': contentType }, payload });

    beforeAll(async () => {
      t = await createTestApp(dialect);
      owner = await setupOwner(t);
      key = await createApiKey(t, owner);
      baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    });
    afterAll(async () => t?.close());

    const events = async () =>
      (
        await t.adapter.db
          .selectFrom('webhook_events')
          .select(['type', 'payload'])
          .where('workspace_id', '=', owner.workspaceId)
          .orderBy('created_at')
          .execute()
      ).map((e) => JSON.parse(e.payload) as { type: string; data: any });

    it('records user.created / user.updated only when an endpoint wants them, never for a no-op', async () => {
      await post('user_id,name\nquiet-1,Q\n');
      expect(await events()).toEqual([]);
      const now = t.clock.now();
      await t.adapter.db
        .insertInto('webhook_endpoints')
        .values({
          id: 'whe_import',
          workspace_id: owner.workspaceId,
          url: 'https://receiver.example/hook',
          events: JSON.stringify(['user.created', 'user.updated']),
          secret_ciphertext: 'x',
          created_by: null,
          created_at: now,
          updated_at: now,
          disabled_at: null,
        })
        .execute();
      const res = await post('user_id,name,properties.plan\nhook-1,Ada,pro\nquiet-1,Q,\nquiet-1,Quinn,free\n');
      expect(res.body).toMatchObject({ imported: 3, created: 1, updated: 1 });
      const sent = await events();
      expect(sent.map((e) => e.type).sort()).toEqual(['user.created', 'user.updated']);
      const created = sent.find((e) => e.type === 'user.created')!;
      expect(created.data.user).toMatchObject({ id: 'hook-1', name: 'Ada', trust: 'identified', properties: { plan: 'pro' } });
      const updated = sent.find((e) => e.type === 'user.updated')!;
      expect(updated.data).toMatchObject({ user: { id: 'quiet-1', name: 'Quinn' }, changed: ['name', 'properties.plan'] });
      // The same values again: nothing changed, nothing sent.
      await post('user_id,name,properties.plan\nhook-1,Ada,pro\n');
      expect(await events()).toHaveLength(2);
      const deliveries = await t.adapter.db
        .selectFrom('webhook_deliveries')
        .select('endpoint_id')
        .where('workspace_id', '=', owner.workspaceId)
        .execute();
      expect(deliveries).toHaveLength(2);
    });

    it('reads the body as a stream: a 50 MB file reaches the parser in many chunks, and memory does not grow by its size', async () => {
      const source = csvStream(120_000, 'big-', 'x'.repeat(380));
      let chunks = 0;
      let largest = 0;
      // The reader itself, fed the way the route feeds it: count what it is handed.
      async function* counted(): AsyncGenerator<Buffer> {
        for await (const chunk of source) {
          chunks++;
          largest = Math.max(largest, (chunk as Buffer).length);
          yield chunk as Buffer;
        }
      }
      let rows = 0;
      for await (const batch of csvRows(counted(), 64 * 1024)) rows += batch.length;
      expect(rows).toBe(120_000);
      expect(chunks).toBeGreaterThan(100);
      // Over HTTP: the server's heap does not take the 50 MB body in.
      global.gc?.();
      const before = process.memoryUsage().heapUsed;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
      const res = await postStream(baseUrl, key, 'text/csv', csvStream(120_000, 'big-', 'x'.repeat(380)));
      clearInterval(sampler);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ imported: 120_000, failed: 0 });
      expect(peak - before).toBeLessThan(50 * 1024 * 1024);
    }, 240_000);

    it('keeps /healthz answering fast while a 100,000-row import runs', async () => {
      let running = true;
      const latencies: number[] = [];
      const pinger = (async () => {
        while (running) {
          const started = performance.now();
          const res = await fetch(`${baseUrl}/healthz`);
          await res.arrayBuffer();
          latencies.push(performance.now() - started);
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      const res = await postStream(baseUrl, key, 'text/csv', csvStream(100_000, 'hz-'));
      running = false;
      await pinger;
      expect(res.body).toMatchObject({ imported: 100_000, created: 100_000 });
      expect(latencies.length).toBeGreaterThan(20);
      expect(Math.max(...latencies)).toBeLessThan(200);
    }, 240_000);
  });
}
