import crypto from 'node:crypto';
import { signUserId } from '@lumio/node';
import { request } from '../../packages/server/src/test-support/server-process.js';

/**
 * Starts a widget session, proves it is `userId` with the widget's secret (a
 * verified identify, as a host server's signature makes it) and sends
 * `events` as that user; answers the events API's answer.
 */
export async function sendAsVerifiedUser(
  url: string,
  widget: { id: string; secret: string },
  userId: string,
  events: Array<{ name: string; props?: Record<string, unknown> }>,
): Promise<{ status: number; body: any }> {
  const session = await request(`${url}/widget/v1/${widget.id}/session`, {
    method: 'POST',
    body: { anonymousId: `anon_${crypto.randomBytes(8).toString('hex')}` },
  });
  const identified = await request(`${url}/widget/v1/${widget.id}/identify`, {
    method: 'POST',
    headers: { authorization: `Bearer ${session.body.token}` },
    body: { userId, signature: signUserId(userId, widget.secret) },
  });
  if (identified.body?.state !== 'verified') throw new Error(`identify: ${JSON.stringify(identified.body)}`);
  return request(`${url}/widget/v1/${widget.id}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${identified.body.token}` },
    body: { events: events.map((e) => ({ id: `evt_e2e_${crypto.randomBytes(6).toString('hex')}`, at: Date.now(), ...e })) },
  });
}
