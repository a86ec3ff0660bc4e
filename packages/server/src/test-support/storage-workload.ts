import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import type { TestApp } from './test-app.js';
import { call, identify, sign, startSession } from './api-helpers.js';

/** Log lines captured from an app (pass `destination` as createTestApp's logDestination, with LUMIO_LOG_LEVEL=info). */
export function captureLines(): { destination: Writable; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(line);
      done();
    },
  });
  return { destination, lines };
}

/** What the storage-fault tests assert on, and what the measurement prints. */
export interface WriteTally {
  statuses: Record<number, number>;
  /** Answers that were neither 2xx nor 503 storage_unavailable with Retry-After. */
  unexpected: Array<{ status: number; code: unknown; retryAfter: unknown }>;
  /** userIds of 2xx verified identifies, and event ids of 2xx event batches. */
  acknowledged: { userIds: string[]; eventIds: string[] };
}

/** An empty tally. */
export const newTally = (): WriteTally => ({ statuses: {}, unexpected: [], acknowledged: { userIds: [], eventIds: [] } });

let sequence = 0;

/**
 * Sends `rounds` rounds of concurrent writes (verified identifies and event
 * batches, `perRound` of each) and tallies the answers: the load the
 * full-disk report of issue 15 was made with.
 */
export async function sendWrites(
  t: TestApp,
  widget: { widgetId: string; secret: string },
  tally: WriteTally,
  options: { rounds: number; perRound: number },
): Promise<void> {
  const tag = crypto.randomBytes(3).toString('hex');
  for (let round = 0; round < options.rounds; round++) {
    const requests: Array<Promise<void>> = [];
    for (let i = 0; i < options.perRound; i++) {
      const n = sequence++;
      requests.push(
        (async () => {
          const session = await startSession(t, widget.widgetId);
          const userId = `user_${tag}_${n}`;
          const res = await identify(t, widget.widgetId, session.token, { userId, signature: sign(userId, widget.secret) });
          note(tally, res);
          if (res.status === 200 && res.body.state === 'verified') tally.acknowledged.userIds.push(userId);
          const eventIds = [0, 1, 2].map((k) => `evt_${tag}${n.toString(36).padStart(6, '0')}${k}`);
          const events = await call(t.app, {
            method: 'POST',
            url: `/widget/v1/${widget.widgetId}/events`,
            bearer: session.token,
            payload: { events: eventIds.map((id) => ({ id, name: 'page_viewed', at: t.clock.now() })) },
          });
          note(tally, events);
          if (events.status >= 200 && events.status < 300) tally.acknowledged.eventIds.push(...eventIds);
        })(),
      );
    }
    await Promise.all(requests);
  }
}

function note(tally: WriteTally, res: { status: number; body: any; headers: Record<string, unknown> }): void {
  tally.statuses[res.status] = (tally.statuses[res.status] ?? 0) + 1;
  if (res.status < 300) return;
  const expected = res.status === 503 && res.body?.error?.code === 'storage_unavailable' && res.headers['retry-after'] === '5';
  if (!expected) tally.unexpected.push({ status: res.status, code: res.body?.error?.code, retryAfter: res.headers['retry-after'] });
}

/** Acknowledged writes missing from the database: must be none. */
export async function lostWrites(t: TestApp, workspaceId: string, tally: WriteTally): Promise<{ users: string[]; events: string[] }> {
  const users = new Set(
    (await t.deps.db.selectFrom('users').select('user_id').where('workspace_id', '=', workspaceId).execute()).map((r) => r.user_id),
  );
  const events = new Set(
    (await t.deps.db.selectFrom('events').select('event_id').where('workspace_id', '=', workspaceId).execute()).map((r) => r.event_id),
  );
  return {
    users: tally.acknowledged.userIds.filter((id) => !users.has(id)),
    events: tally.acknowledged.eventIds.filter((id) => !events.has(id)),
  };
}
