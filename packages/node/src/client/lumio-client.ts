import { resolveClientConfig, type LumioClientOptions } from './client-config.js';
import { HttpTransport } from './http-transport.js';
import { UsersApi } from './users-api.js';
import { CompaniesApi } from './companies-api.js';

/**
 * A typed client of the Lumio server API for your backend, authenticated with
 * a workspace API key; server and network failures reject with a `LumioApiError`,
 * invalid arguments with a `TypeError`.
 *
 * @example
 * import { LumioClient } from '@lumio/node';
 * const lumio = new LumioClient({ baseUrl: 'https://lumio.example.com', apiKey: process.env.LUMIO_API_KEY! });
 * const user = await lumio.users.upsert('user_123', { name: 'Ada', properties: { plan: 'pro' } });
 */
export class LumioClient {
  /** Read, write, export and erase the users of the workspace. */
  readonly users: UsersApi;
  /** Read, write, export and erase the companies of the workspace, and their members. */
  readonly companies: CompaniesApi;

  constructor(options: LumioClientOptions) {
    const transport = new HttpTransport(resolveClientConfig(options));
    this.users = new UsersApi(transport);
    this.companies = new CompaniesApi(transport);
  }
}
