import crypto from 'node:crypto';
import type { AppDeps } from '../http/app-deps.js';
import type { ResolveHost } from './ssrf-guard.js';
import { nextAttemptAt } from './webhook-retry-schedule.js';
import { sendWebhook, type SendResult } from './webhook-sender.js';
import { openWebhookSecret, webhookHeaders } from './webhook-signature.js';

/** Tuning of the {@link WebhookDispatcher}; the defaults are what the server runs with. */
export interface WebhookDispatcherOptions {
  /** How often due deliveries are looked for (the delay of a new event's first attempt at most). */
  pollMs?: number;
  /** Deliveries sent at once by this process. */
  concurrency?: number;
  /** Of those, at most this many to one endpoint, so one hanging receiver cannot take every slot. */
  perEndpoint?: number;
  /** How long a claim lasts: a process that dies mid-send leaves its deliveries to others after this. */
  leaseMs?: number;
  /** Per-attempt timeout (webhook-sender.ts). */
  timeoutMs?: number;
  /** How long stop() lets sends in flight finish before cutting them off. */
  shutdownGraceMs?: number;
  /** Jitter source for the retry schedule. */
  random?: () => number;
  resolve?: ResolveHost;
}

interface Claimed {
  id: string;
  endpoint_id: string;
  event_id: string;
  attempts: number;
  created_at: number;
  lease: number;
}

/**
 * Sends the webhook outbox (webhook-outbox.ts): a background loop that claims
 * due pending deliveries with a lease and POSTs them, a few at a time, off
 * every request path. A 2xx answer completes a delivery; anything else is
 * retried on the schedule of webhook-retry-schedule.ts for a day, then the
 * delivery fails. A refused address fails it at once.
 *
 * Claiming is one statement: on PostgreSQL `UPDATE … WHERE id IN (SELECT …
 * FOR UPDATE SKIP LOCKED)`, so with several processes each delivery is sent by
 * one; SQLite has one writer and the same conditional UPDATE. A result is
 * written only while the lease is still this process's (`locked_until`
 * unchanged), so a delivery reclaimed after an expired lease or requeued by a
 * resend is not overwritten.
 */
export class WebhookDispatcher {
  private readonly options: Required<Omit<WebhookDispatcherOptions, 'resolve'>> & Pick<WebhookDispatcherOptions, 'resolve'>;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private claiming: Promise<void> | undefined;
  private again = false;
  private lastLease = 0;
  private readonly inFlight = new Map<string, { endpointId: string; done: Promise<void>; abort: AbortController }>();

  constructor(
    private readonly deps: Pick<AppDeps, 'db' | 'adapter' | 'clock' | 'logger' | 'secretBox' | 'config' | 'storageHealth'>,
    options: WebhookDispatcherOptions = {},
  ) {
    this.options = {
      pollMs: 1000,
      concurrency: 8,
      perEndpoint: 2,
      leaseMs: 60_000,
      timeoutMs: 10_000,
      shutdownGraceMs: 3000,
      random: Math.random,
      ...options,
    };
  }

  /** Starts polling; the timer never keeps the process alive. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Looks for due deliveries now (after a resend, or in tests). */
  wake(): void {
    if (this.stopped) return;
    void this.claimAndSend();
  }

  /**
   * Stops claiming, lets sends in flight finish for a moment, cuts off the
   * rest and releases their leases, so another process (or the next start)
   * sends them without waiting for the lease to run out.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.claiming;
    const pending = [...this.inFlight.values()];
    if (pending.length === 0) return;
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(pending.map((p) => p.done)),
      new Promise<void>((resolve) => (grace = setTimeout(resolve, this.options.shutdownGraceMs))),
    ]);
    clearTimeout(grace);
    for (const p of this.inFlight.values()) p.abort.abort();
    await Promise.all([...this.inFlight.values()].map((p) => p.done));
  }

  /** Sends every delivery due now and waits for the attempts to end (tests, and a start-up catch-up). */
  async runOnce(): Promise<void> {
    const wasStopped = this.stopped;
    this.stopped = false;
    try {
      // A finished send claims again (launch): wait until nothing is claimed or in flight.
      for (;;) {
        await this.claimAndSend();
        if (this.inFlight.size === 0 && !this.claiming) return;
        await Promise.all([...this.inFlight.values()].map((p) => p.done));
        await this.claiming;
      }
    } finally {
      this.stopped = wasStopped;
    }
  }

  // One claim loop at a time; a wake during one runs it again afterwards.
  private claimAndSend(): Promise<void> {
    if (this.claiming) {
      this.again = true;
      return this.claiming;
    }
    this.claiming = this.claimLoop()
      .catch((error: unknown) => this.logError(error, 'webhook claim failed'))
      .finally(() => {
        this.claiming = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          void this.claimAndSend();
        }
      });
    return this.claiming;
  }

  private async claimLoop(): Promise<void> {
    this.again = false;
    while (!this.stopped) {
      const free = this.options.concurrency - this.inFlight.size;
      if (free <= 0) return;
      const claimed = await this.claim(free);
      for (const delivery of claimed) this.launch(delivery);
      if (claimed.length < free) return;
    }
  }

  private async claim(limit: number): Promise<Claimed[]> {
    const now = this.deps.clock.now();
    // The lease's end is also its token (finish and release match on it): never the same twice in this
    // process, and a random part so two processes claiming in the same millisecond differ too.
    const lease = Math.max(now + this.options.leaseMs, this.lastLease + 1) + crypto.randomInt(1000);
    this.lastLease = lease;
    const perEndpoint = new Map<string, number>();
    for (const p of this.inFlight.values()) perEndpoint.set(p.endpointId, (perEndpoint.get(p.endpointId) ?? 0) + 1);
    const full = [...perEndpoint].filter(([, n]) => n >= this.options.perEndpoint).map(([id]) => id);
    const postgres = this.deps.adapter.name === 'postgres';
    const rows = await this.deps.db
      .updateTable('webhook_deliveries')
      .set({ locked_until: lease })
      .where('id', 'in', (eb) => {
        let due = eb
          .selectFrom('webhook_deliveries')
          .select('id')
          .where('state', '=', 'pending')
          .where('next_attempt_at', '<=', now)
          .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<=', now)]));
        if (full.length > 0) due = due.where('endpoint_id', 'not in', full);
        due = due.orderBy('next_attempt_at').limit(limit);
        return postgres ? due.forUpdate().skipLocked() : due;
      })
      // Rechecked on the locked row: what another process committed meanwhile counts.
      .where('state', '=', 'pending')
      .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<=', now)]))
      .returning(['id', 'endpoint_id', 'event_id', 'attempts', 'created_at'])
      .execute();
    const claimed = rows.map((r) => ({ ...r, attempts: Number(r.attempts), created_at: Number(r.created_at), lease }));
    // One batch may hold more of one endpoint than it may have in flight: the excess goes back at once.
    const kept: Claimed[] = [];
    const excess: Claimed[] = [];
    for (const delivery of claimed) {
      const n = perEndpoint.get(delivery.endpoint_id) ?? 0;
      if (n >= this.options.perEndpoint) excess.push(delivery);
      else {
        perEndpoint.set(delivery.endpoint_id, n + 1);
        kept.push(delivery);
      }
    }
    await Promise.all(excess.map((d) => this.release(d)));
    return kept;
  }

  private launch(delivery: Claimed): void {
    const abort = new AbortController();
    const done = this.deliver(delivery, abort.signal)
      .catch((error: unknown) => this.logError(error, 'webhook delivery failed', { deliveryId: delivery.id }))
      .finally(() => {
        this.inFlight.delete(delivery.id);
        // A slot is free: more may be due.
        if (!this.stopped) this.claimAndSend();
      });
    this.inFlight.set(delivery.id, { endpointId: delivery.endpoint_id, done, abort });
  }

  private async deliver(delivery: Claimed, signal: AbortSignal): Promise<void> {
    const row = await this.deps.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
      .innerJoin('webhook_events as v', 'v.id', 'd.event_id')
      .select(['e.url', 'e.secret_ciphertext', 'e.disabled_at', 'v.type', 'v.payload'])
      .where('d.id', '=', delivery.id)
      .executeTakeFirst();
    // Gone with its endpoint or workspace (cascade): nothing to send.
    if (!row) return;
    let result: SendResult;
    if (row.disabled_at !== null) {
      result = { ok: false, status: null, error: 'The endpoint is disabled', final: true };
    } else {
      let secret: string;
      try {
        secret = openWebhookSecret(this.deps.secretBox, delivery.endpoint_id, row.secret_ciphertext);
      } catch {
        // Without the secret nothing can be signed; a resend after the key is fixed sends it.
        await this.finish(delivery, {
          ok: false,
          status: null,
          error: "The endpoint's secret cannot be decrypted with this server's master key",
          final: true,
        });
        return;
      }
      const headers = webhookHeaders(secret, { id: delivery.event_id, type: row.type }, row.payload, this.deps.clock.now());
      result = await sendWebhook(row.url, headers, row.payload, {
        allowPrivate: this.deps.config.webhookAllowPrivate,
        timeoutMs: this.options.timeoutMs,
        signal,
        ...(this.options.resolve ? { resolve: this.options.resolve } : {}),
      });
    }
    if (signal.aborted) await this.release(delivery);
    else await this.finish(delivery, result);
  }

  private async finish(delivery: Claimed, result: SendResult): Promise<void> {
    const now = this.deps.clock.now();
    const attempts = delivery.attempts + 1;
    const next = result.ok || result.final ? null : nextAttemptAt(attempts, delivery.created_at, now, this.options.random);
    const state = result.ok ? 'succeeded' : next === null ? 'failed' : 'pending';
    const updated = await this.deps.db
      .updateTable('webhook_deliveries')
      .set({
        state,
        attempts,
        last_attempt_at: now,
        last_status: result.status,
        last_error: result.error,
        next_attempt_at: next,
        locked_until: null,
        completed_at: state === 'pending' ? null : now,
      })
      .where('id', '=', delivery.id)
      .where('locked_until', '=', delivery.lease)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return;
    if (state === 'failed') this.deps.logger.warn({ deliveryId: delivery.id, error: result.error }, 'webhook delivery failed for good');
  }

  // A full or unreachable database is the storage health's to report (once per interval, not a line a second).
  private logError(error: unknown, message: string, context: Record<string, unknown> = {}): void {
    if (!this.deps.storageHealth.recordIfFault(error, { writer: 'webhook dispatcher', ...context })) {
      this.deps.logger.error({ err: error, ...context }, message);
    }
  }

  private async release(delivery: Claimed): Promise<void> {
    await this.deps.db
      .updateTable('webhook_deliveries')
      .set({ locked_until: null })
      .where('id', '=', delivery.id)
      .where('locked_until', '=', delivery.lease)
      .execute();
  }
}
