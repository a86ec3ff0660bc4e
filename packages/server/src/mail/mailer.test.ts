import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpCapture, type SmtpCapture } from '../test-support/smtp-capture.js';
import { Mailer } from './mailer.js';

function capturingLogger(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

describe('Mailer against a real SMTP server', () => {
  let smtp: SmtpCapture;
  beforeAll(async () => {
    smtp = await startSmtpCapture({ user: 'lumio', password: 's3cret pass' });
  });
  afterAll(() => smtp.close());

  it('sends through the URL with its credentials: recipient, subject and body arrive', async () => {
    const mailer = new Mailer(
      { url: smtp.url, from: 'Lumio <lumio@example.com>', publicUrl: 'https://lumio.example.com/app' },
      capturingLogger().logger,
    );
    expect(mailer.configured).toBe(true);
    await mailer.send({ to: 'ada@example.com', subject: 'Hello Ada', text: 'Open https://lumio.example.com/app/x#token=abc' });
    const mail = await smtp.next((m) => m.subject === 'Hello Ada');
    expect(mail.to).toEqual(['ada@example.com']);
    expect(mail.from).toBe('lumio@example.com');
    expect(mail.links).toEqual(['https://lumio.example.com/app/x#token=abc']);
    expect(mailer.link('/app/reset-password#token=t')).toBe('https://lumio.example.com/app/reset-password#token=t');
    mailer.close();
  });

  it('refuses with email_not_configured when there are no settings', async () => {
    const mailer = new Mailer(null, capturingLogger().logger);
    expect(mailer.configured).toBe(false);
    expect(() => mailer.link('/app')).toThrow(expect.objectContaining({ code: 'email_not_configured' }));
    await expect(mailer.send({ to: 'a@example.com', subject: 's', text: 't' })).rejects.toMatchObject({ code: 'email_not_configured' });
  });

  it('turns wrong credentials into email_send_failed and never logs the URL or the body', async () => {
    const { logger, lines } = capturingLogger();
    const wrong = smtp.url.replace('s3cret%20pass', 'wrong-password');
    const mailer = new Mailer({ url: wrong, from: 'lumio@example.com', publicUrl: 'https://lumio.example.com' }, logger);
    await expect(mailer.send({ to: 'grace@example.com', subject: 's', text: 'token=one-time-secret' })).rejects.toMatchObject({
      code: 'email_send_failed',
    });
    const log = lines.join('');
    expect(log).toContain('email not sent');
    expect(log).toContain('example.com');
    expect(log).not.toContain('wrong-password');
    expect(log).not.toContain('one-time-secret');
    expect(log).not.toContain('grace@');
    mailer.close();
  });

  it('turns a refused message into email_send_failed, and use() switches settings while running', async () => {
    const mailer = new Mailer(null, capturingLogger().logger);
    mailer.use({ url: smtp.url, from: 'lumio@example.com', publicUrl: 'https://lumio.example.com' });
    smtp.refuse(true);
    try {
      await expect(mailer.send({ to: 'x@example.com', subject: 'refused', text: 't' })).rejects.toMatchObject({
        code: 'email_send_failed',
      });
    } finally {
      smtp.refuse(false);
    }
    await mailer.send({ to: 'x@example.com', subject: 'accepted', text: 't' });
    await smtp.next((m) => m.subject === 'accepted');
    expect(smtp.received.some((m) => m.subject === 'refused')).toBe(false);
    mailer.use(null);
    expect(mailer.configured).toBe(false);
  });
});
