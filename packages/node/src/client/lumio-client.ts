import { resolveClientConfig, type LumioClientOptions } from './client-config.js';
import { HttpTransport } from './http-transport.js';
import { UsersApi } from './users-api.js';
import { CompaniesApi } from './companies-api.js';
import { EventQueue } from './event-queue.js';
import type { TrackedEvent } from './types.js';

/**
 * A typed client of the Lumio server API for your backend, authenticated with
 * a workspace API key; server and network failures reject with a `LumioApiError`,
 * invalid arguments with a `TypeError`.
 *
 * @example
 * import { LumioClient } from '@lumio/node';
 * const lumio = new LumioClient({ baseUrl: 'https://lumio.example.com', apiKey: process.env.LUMIO_API_KEY! });
 * const user = await lumio.users.upsert('user_123', { name: 'Ada', properties: { plan: 'pro' } });
 * lumio.track({ userId: 'user_123', name: 'invoice paid' });
 * await lumio.shutdown(); // before the process exits
 */
export class LumioClient {
  /** Read, write, export and erase the users of the workspace. */
  readonly users: UsersApi;
  /** Read, write, export and erase the companies of the workspace, and their members. */
  readonly companies: CompaniesApi;
  readonly #events: EventQueue;

  constructor(options: LumioClientOptions) {
    const config = resolveClientConfig(options);
    const transport = new HttpTransport(config);
    this.users = new UsersApi(transport);
    this.companies = new CompaniesApi(transport);
    this.#events = new EventQueue(transport, config.events);
  }

  /**
   * Records an event of your backend for a user and/or a company. It is
   * queued and sent in batches (see `events` options); failures are retried
   * and never reject: they go to `events.onError`. Throws a `TypeError` for a
   * malformed event and `client_closed` after {@link shutdown}.
   *
   * @example
   * lumio.track({ userId: 'user_123', company: 'acme', name: 'invoice paid', properties: { amount: 120 } });
   */
  track(event: TrackedEvent): void {
    this.#events.track(event);
  }

  /** Sends every event tracked so far; rejects with `flush_timeout` when they are not all stored in time (they stay queued). */
  flush(options: { timeoutMs?: number } = {}): Promise<void> {
    return this.#events.flush(options.timeoutMs);
  }

  /** Sends what is queued, stops the timers and refuses new events; resolves with how many events were dropped, never rejects. */
  shutdown(options: { timeoutMs?: number } = {}): Promise<{ dropped: number }> {
    return this.#events.shutdown(options.timeoutMs);
  }
}
