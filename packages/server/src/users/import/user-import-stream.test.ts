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
    // The server may answer and close before the whole body is sent: that is its answer, not a failure.
    body.on('error', () => undefined);
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
      for (let end = Math.min(i + 200, count); i < end; i++)
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

    it('keeps /healthz answering while a 100,000-row import runs: no turn of the event loop takes 500 ms of CPU', async () => {
      // Wall-clock latency on a shared 2-core machine also measures other
      // processes (at a load average of 17, a bare /healthz took 35 ms at the
      // median), so the bound is on what this process itself does: the CPU
      // time it spends between two ticks of a 5 ms timer. An import that
      // parsed or wrote the file in one go would spend seconds in one turn
      // (100,000 rows take about 5 s of CPU here).
      // Warm: the first fetch loads the HTTP client, the first import compiles its schemas; neither is the import's pace.
      await (await fetch(`${baseUrl}/healthz`)).arrayBuffer();
      await postStream(baseUrl, key, 'text/csv', csvStream(2000, 'warm-'));
      let running = true;
      let longestTurnCpuMs = 0;
      let last = process.cpuUsage();
      const ticker = setInterval(() => {
        const now = process.cpuUsage();
        longestTurnCpuMs = Math.max(longestTurnCpuMs, (now.user - last.user + now.system - last.system) / 1000);
        last = now;
      }, 5);
      const latencies: number[] = [];
      const pinger = (async () => {
        while (running) {
          const started = performance.now();
          const res = await fetch(`${baseUrl}/healthz`);
          expect(res.status).toBe(200);
          await res.arrayBuffer();
          latencies.push(performance.now() - started);
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      const res = await postStream(baseUrl, key, 'text/csv', csvStream(100_000, 'hz-'));
      running = false;
      await pinger;
      clearInterval(ticker);
      expect(res.body).toMatchObject({ imported: 100_000, created: 100_000 });
      latencies.sort((a, b) => a - b);
      console.log(
        `/healthz during the import: ${latencies.length} pings, median ${latencies[latencies.length >> 1]!.toFixed(0)} ms, max ${latencies.at(-1)!.toFixed(0)} ms; longest turn ${longestTurnCpuMs.toFixed(0)} ms of CPU`,
      );
      expect(latencies.length).toBeGreaterThan(20);
      // Generous: the process's CPU includes its GC and SQLite checkpoint threads, and contention on a
      // loaded machine inflates it (quiet: 90 ms; at a load average of 17: up to 235 ms). A whole import is seconds.
      expect(longestTurnCpuMs).toBeLessThan(500);
    }, 240_000);

    it('answers a malformed line early in a large upload with the error, not a reset connection', async () => {
      let sent = 0;
      const body = new Readable({
        read() {
          if (sent === 0) this.push('user_id,name\nearly-1,A\nearly-2,"B"x\n');
          if (sent >= 20_000_000) return void this.push(null);
          const chunk = `${Array.from({ length: 1000 }, (_, i) => `late-${sent + i},L`).join('\n')}\n`;
          sent += chunk.length;
          this.push(chunk);
        },
      });
      const res = await postStream(baseUrl, key, 'text/csv', body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'import_malformed', details: { line: 3, imported: 1 } });
      expect(await t.services.users.get(owner.workspaceId, 'early-1')).not.toBeNull();
    }, 120_000);

    it('reads the body as a stream: the parser gets it in chunks, and rows are stored while the upload is still running', async () => {
      // The reader, fed the way the route feeds it, over 50 MB: many chunks, none of them the whole file.
      const source = csvStream(120_000, 'chunked-', 'x'.repeat(380));
      let chunks = 0;
      let largest = 0;
      async function* counted(): AsyncGenerator<Buffer> {
        for await (const chunk of source) {
          chunks++;
          largest = Math.max(largest, Buffer.byteLength(chunk as Buffer));
          yield Buffer.from(chunk as Buffer);
        }
      }
      let rows = 0;
      for await (const batch of csvRows(counted(), 64 * 1024)) rows += batch.length;
      expect(rows).toBe(120_000);
      expect(chunks).toBeGreaterThan(100);
      expect(largest).toBeLessThan(1024 * 1024);
      // Over HTTP: the first 3,000 rows are sent, then the upload waits until
      // they are stored; a server that buffered the whole body first would
      // store nothing until the end, and this upload would never finish.
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let sent = 0;
      const body = new Readable({
        async read() {
          if (sent === 3000) await gate;
          if (sent === 6000) return void this.push(null);
          const lines = Array.from({ length: 1000 }, (_, i) => `live-${sent + i},Live`);
          this.push(`${sent === 0 ? 'user_id,name\n' : ''}${lines.join('\n')}\n`);
          sent += 1000;
        },
      });
      const answer = postStream(baseUrl, key, 'text/csv', body);
      for (let i = 0; i < 600 && !(await t.services.users.get(owner.workspaceId, 'live-999')); i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(await t.services.users.get(owner.workspaceId, 'live-999')).not.toBeNull();
      expect(await t.services.users.get(owner.workspaceId, 'live-5999')).toBeNull();
      release();
      expect((await answer).body).toMatchObject({ imported: 6000, created: 6000 });
    }, 240_000);
  });
}
