import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { newId } from '../crypto/tokens.js';
import { newWebhookSecret, sealWebhookSecret } from '../webhooks/webhook-signature.js';

/** One request a {@link WebhookReceiver} got. */
export interface Receipt {
  headers: http.IncomingHttpHeaders;
  /** The path and query it was sent to. */
  url: string;
  body: string;
  at: number;
}

/** What the receiver answers: a status, or `'hang'` (never answers). */
export type ReceiverAnswer = number | 'hang';

/** A real HTTP receiver on 127.0.0.1 that records every webhook it gets. */
export interface WebhookReceiver {
  url: string;
  receipts: Receipt[];
  /** Decides the answer to the n-th request (0-based); 200 by default. */
  answer: (receipt: Receipt, index: number) => ReceiverAnswer;
  /** How long each answer waits (a receiver that takes a moment). */
  delayMs: number;
  close(): Promise<void>;
}

/** Starts a webhook receiver on a free port of 127.0.0.1. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const hanging = new Set<http.ServerResponse>();
  const receiver: WebhookReceiver = {
    url: '',
    receipts: [],
    answer: () => 200,
    delayMs: 0,
    close: async () => {
      for (const response of hanging) response.socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const receipt: Receipt = {
        headers: request.headers,
        url: request.url ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      const index = receiver.receipts.push(receipt) - 1;
      const answer = receiver.answer(receipt, index);
      if (answer === 'hang') {
        hanging.add(response);
        return;
      }
      const send = () => response.writeHead(answer, { 'content-type': 'text/plain' }).end(answer >= 300 ? `receiver said ${answer}` : 'ok');
      if (receiver.delayMs > 0) setTimeout(send, receiver.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}

/** Inserts a workspace row directly (storage tests without the setup flow). */
export async function insertWorkspace(db: Kysely<Database>, json: (v: unknown) => unknown, now = Date.now()): Promise<string> {
  const id = newId('ws');
  await db
    .insertInto('workspaces')
    .values({ id, name: 'Webhooks', created_at: now, browser_visible_keys: json([]) })
    .execute();
  return id;
}

/** Inserts an endpoint row with a sealed secret, as the endpoints API would; returns its id and secret. */
export async function insertWebhookEndpoint(
  db: Kysely<Database>,
  box: SecretBox,
  workspaceId: string,
  url: string,
  options: { events?: string[]; json: (v: unknown) => unknown; now?: number },
): Promise<{ id: string; secret: string }> {
  const id = newId('whe');
  const secret = newWebhookSecret();
  const now = options.now ?? Date.now();
  await db
    .insertInto('webhook_endpoints')
    .values({
      id,
      workspace_id: workspaceId,
      url,
      events: options.json(options.events ?? ['*']),
      secret_ciphertext: sealWebhookSecret(box, id, secret),
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { id, secret };
}
