import crypto from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../crypto/secret-box.js';
import { newWebhookSecret, openWebhookSecret, sealWebhookSecret, signWebhook, webhookHeaders } from './webhook-signature.js';

const { vectors } = JSON.parse(
  fs.readFileSync(new URL('../../../protocol/test-vectors/webhook-signatures.json', import.meta.url), 'utf8'),
) as { vectors: Array<{ name: string; secret: string; body: string; header: string; now: number; valid: boolean }> };

describe('signWebhook', () => {
  // The shared vectors' valid deliveries are what this server sends (the docs' snippets verify the same file).
  it.each(vectors.filter((v) => v.valid))('gives the header of the vector "$name"', (v) => {
    const t = Number(/t=(\d+)/.exec(v.header)![1]);
    const [first, second] = signWebhook(v.secret, t, v.body).split(',');
    expect(v.header.split(',').sort()).toEqual([first, second].sort());
  });

  it('puts the timestamp in seconds and signs it with the raw body', () => {
    const headers = webhookHeaders('whsec_x', { id: 'evt_1', type: 'user.created' }, '{"a":"é"}', 1_767_225_600_999);
    const mac = crypto.createHmac('sha256', 'whsec_x').update('1767225600.{"a":"é"}', 'utf8').digest('hex');
    expect(headers).toEqual({
      'content-type': 'application/json',
      'user-agent': 'Lumio-Webhooks/1',
      'lumio-event-id': 'evt_1',
      'lumio-event-type': 'user.created',
      'lumio-signature': `t=1767225600,v1=${mac}`,
    });
  });
});

describe('endpoint secrets at rest', () => {
  it('decrypt only for the endpoint they were sealed for', () => {
    const box = new SecretBox(crypto.randomBytes(32));
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const sealed = sealWebhookSecret(box, 'whe_1', secret);
    expect(sealed).not.toContain(secret);
    expect(openWebhookSecret(box, 'whe_1', sealed)).toBe(secret);
    expect(() => openWebhookSecret(box, 'whe_2', sealed)).toThrow();
  });
});
